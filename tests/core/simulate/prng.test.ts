import { describe, expect, it } from 'vitest';
import { Random, weightedTable } from '../../../core/simulate/index.ts';

const draw = (random: Random, n: number, fn: (r: Random) => number) => Array.from({ length: n }, () => fn(random));

describe('seeded random generator', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(draw(new Random(42), 20, (r) => r.uint32())).toEqual(draw(new Random(42), 20, (r) => r.uint32()));
  });

  it('gives different sequences for different seeds, streams and seeds beyond 32 bits', () => {
    const first = draw(new Random(42), 5, (r) => r.uint32());
    expect(draw(new Random(43), 5, (r) => r.uint32())).not.toEqual(first);
    expect(draw(new Random(42, 1), 5, (r) => r.uint32())).not.toEqual(first);
    expect(draw(new Random(42 + 2 ** 32), 5, (r) => r.uint32())).not.toEqual(first);
  });

  it('draws uniform floats in [0, 1) with mean one half', () => {
    const values = draw(new Random(1), 50_000, (r) => r.float());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(Math.abs(values.reduce((a, b) => a + b, 0) / values.length - 0.5)).toBeLessThan(0.01);
  });

  it('draws standard normals with mean 0 and standard deviation 1', () => {
    const values = draw(new Random(2), 50_000, (r) => r.normal());
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(sd - 1)).toBeLessThan(0.02);
  });

  it('picks from a weighted table in proportion to the weights', () => {
    const table = weightedTable([
      ['a', 1],
      ['b', 3],
    ] as const);
    const random = new Random(3);
    const picks = draw(random, 20_000, (r) => (r.pick(table) === 'b' ? 1 : 0));
    expect(Math.abs(picks.reduce((a, b) => a + b, 0) / picks.length - 0.75)).toBeLessThan(0.015);
  });

  it('draws integers within both bounds', () => {
    const values = new Set(draw(new Random(4), 2000, (r) => r.integer(1, 3)));
    expect([...values].sort()).toEqual([1, 2, 3]);
  });
});
