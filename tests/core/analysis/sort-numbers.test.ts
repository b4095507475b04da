import { expect, it } from 'vitest';
import { sortedPresent } from '../../../core/analysis/index.ts';

/** A fixed-seed generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** What sortedPresent must return: the non-NaN values, ascending, -0 as 0. */
function reference(values: Float64Array): number[] {
  return Array.from(values.filter((v) => !Number.isNaN(v)).sort(), (v) => (v === 0 ? 0 : v));
}

it('sorts a large column of a few thousand repeated values exactly, -0 with 0 and infinities at the ends', () => {
  const next = random(7);
  const pool = Float64Array.from({ length: 3000 }, () => (next() - 0.4) * 10 ** Math.floor(next() * 9 - 4));
  pool.set([-0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MIN_VALUE, -Number.MAX_VALUE]);
  const values = Float64Array.from({ length: 120_000 }, () =>
    next() < 0.1 ? Number.NaN : pool[Math.floor(next() * pool.length)]!,
  );
  const sorted = sortedPresent(values);
  expect(Array.from(sorted)).toEqual(reference(values));
  expect(Object.is(sorted[sorted.indexOf(0)], -0)).toBe(false);
});

it('sorts a large column whose values are nearly all distinct exactly', () => {
  const next = random(11);
  const values = Float64Array.from({ length: 90_000 }, (_, i) =>
    i % 9 === 0 ? Number.NaN : (next() - 0.5) * 1e6 + (i < 2000 ? 0 : next()),
  );
  expect(Array.from(sortedPresent(values))).toEqual(reference(values));
});

it('sorts only the records of a window when given one', () => {
  const next = random(3);
  const values = Float64Array.from({ length: 200_000 }, () => Math.round(next() * 500) / 8);
  expect(Array.from(sortedPresent(values, 50_000, 150_000))).toEqual(reference(values.subarray(50_000, 150_000)));
});

it('sorts large columns of short decimals exactly, whatever scale each value needs', () => {
  const next = random(19);
  for (const places of [0, 1, 2, 6]) {
    const scale = 10 ** places;
    const values = Float64Array.from({ length: 100_000 }, (_, i) => {
      if (i % 11 === 0) return Number.NaN;
      if (i % 97 === 0) return -0;
      // Most values at the column's scale, some needing fewer places, a few negative.
      const k = Math.round((next() - 0.1) * (i % 5 === 0 ? 2e6 : 3e4) * (i % 3 === 0 ? 1 : scale));
      return i % 3 === 0 ? k : k / scale;
    });
    const sorted = sortedPresent(values);
    expect(Array.from(sorted)).toEqual(reference(values));
    expect(sorted.some((v) => Object.is(v, -0))).toBe(false);
  }
});

it('sorts decimals mixed with a value of too many places, or too large a key, by their doubles exactly', () => {
  const next = random(23);
  const base = Float64Array.from({ length: 80_000 }, () => Math.round(next() * 1e6) / 100);
  for (const odd of [1 / 3, 2 ** 40 + 0.5, 1e12, Number.POSITIVE_INFINITY, -Number.MAX_VALUE]) {
    const values = base.slice();
    values[40_000] = odd;
    expect(Array.from(sortedPresent(values))).toEqual(reference(values));
  }
});

it('answers the same from its reused scratch memory, column after column of every kind, fresh answers untouched', () => {
  const next = random(29);
  const columns = [
    // Counting sort, distinct values, decimals by counting and by radix, doubles by radix with passes skipped
    // (positive values under 2^16 · 2^-1074 differ in their lowest 16 bits only: one radix pass runs).
    Float64Array.from({ length: 60_000 }, () => Math.floor(next() * 40)),
    Float64Array.from({ length: 70_000 }, () => Math.floor(next() * 900) / 7),
    Float64Array.from({ length: 80_000 }, () => Math.round(next() * 2e4) / 100),
    Float64Array.from({ length: 90_000 }, () => Math.round(next() * 9e6) / 1e6),
    Float64Array.from({ length: 50_000 }, () => (next() < 0.05 ? Number.NaN : (next() - 0.5) * 1e9 + next())),
    Float64Array.from({ length: 45_000 }, () => Math.floor(next() * 2 ** 16) * Number.MIN_VALUE),
  ];
  const kept: Array<{ sorted: Float64Array; expected: number[] }> = [];
  for (const round of [0, 1]) {
    for (const values of columns) {
      const expected = reference(values);
      // A shorter column after a longer one reads only its own part of the scratch.
      const part = round === 1 ? values.subarray(0, values.length >>> 1) : values;
      expect(Array.from(sortedPresent(part, 0, part.length, true))).toEqual(round === 1 ? reference(part) : expected);
      const fresh = sortedPresent(values);
      kept.push({ sorted: fresh, expected });
    }
  }
  // The fresh answers never shared memory with the scratch the later sorts wrote.
  for (const { sorted, expected } of kept) expect(Array.from(sorted)).toEqual(expected);
});
