import { describe, expect, it } from 'vitest';
import { ksStatistic } from '../../../core/analysis/stats/index.ts';

/** The definition: sup over every value of either sample of |F_a(x) − F_b(x)|, the ECDFs counted directly. */
function bySearch(a: Float64Array, b: Float64Array): number {
  let best = 0;
  for (const x of [...a, ...b]) {
    const fa = a.filter((v) => v <= x).length / a.length;
    const fb = b.filter((v) => v <= x).length / b.length;
    best = Math.max(best, Math.abs(fa - fb));
  }
  return best;
}

function sample(n: number, draw: () => number): Float64Array {
  return Float64Array.from({ length: n }, draw).sort();
}

describe('the two-sample KS statistic', () => {
  it('equals the largest ECDF gap for samples of every size, ties and overlap', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let t = 0; t < 400; t++) {
      const values = 1 + Math.floor(random() * 30);
      const shift = random() * 10;
      const a = sample(1 + Math.floor(random() * 25), () => Math.floor(random() * values));
      const b = sample(1 + Math.floor(random() * 200), () => Math.floor(random() * values + shift * random()));
      expect(ksStatistic(a, b)).toBeCloseTo(bySearch(a, b), 12);
      expect(ksStatistic(b, a)).toBeCloseTo(bySearch(a, b), 12);
    }
  });

  it('is 1 for samples that do not overlap and 0 for the same sample', () => {
    const low = Float64Array.from([1, 2, 3]);
    const high = Float64Array.from([4, 5, 6, 7, 8, 9, 10]);
    expect(ksStatistic(low, high)).toBe(1);
    expect(ksStatistic(high, low)).toBe(1);
    expect(ksStatistic(high, Float64Array.from(high))).toBe(0);
  });
});
