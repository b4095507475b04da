import { describe, expect, it } from 'vitest';
import { copyNumbers, decodeNumbers, encodeNumbers, numberCount, numberView } from '../../db/chunk-format.ts';

/** Every value read back is the very number written (NaN for NaN, -0 for -0). */
function roundTrips(values: number[]): Buffer {
  const blob = encodeNumbers(Float64Array.from(values));
  expect(numberCount(blob)).toBe(values.length);
  const back = Array.from(decodeNumbers(blob));
  back.forEach((v, i) => expect(Object.is(v, values[i]), `value ${i}: ${v} for ${values[i]}`).toBe(true));
  const view = Array.from(numberView(blob));
  view.forEach((v, i) => expect(Object.is(v, values[i])).toBe(true));
  return blob;
}

const plainLength = (n: number): number => n * 8;

describe('number blobs of a chunk', () => {
  it('packs small integers into one byte each, missing values included', () => {
    const values = Array.from({ length: 2048 }, (_, i) => (i % 7 === 0 ? NaN : i % 5));
    const blob = roundTrips(values);
    expect(blob.length).toBeLessThan(2048 * 1.1);
  });

  it('packs epoch milliseconds, day counts and amounts in cents', () => {
    const t0 = Date.UTC(2026, 11, 1);
    expect(roundTrips(Array.from({ length: 2048 }, (_, i) => t0 + i * 997)).length).toBeLessThan(
      plainLength(2048) / 1.9,
    );
    expect(roundTrips(Array.from({ length: 2048 }, (_, i) => -20000 + i * 7)).length).toBeLessThan(
      plainLength(2048) / 3.9,
    );
    expect(roundTrips(Array.from({ length: 2048 }, (_, i) => 100000 + i * 13.25)).length).toBeLessThan(
      plainLength(2048) / 1.9,
    );
    roundTrips(Array.from({ length: 2048 }, (_, i) => 0.000001 * (i * 37)));
  });

  it('keeps float64 for values that have no short decimal form, -0, infinities and huge ranges', () => {
    for (const odd of [Math.PI, -0, Infinity, -Infinity, 2 ** 60, 0.1 + 0.2]) {
      const values = Array.from({ length: 100 }, (_, i) => i);
      values[42] = odd;
      expect(roundTrips(values).length).toBe(plainLength(100));
    }
    expect(roundTrips(Array.from({ length: 100 }, (_, i) => i * 1e9)).length).toBe(plainLength(100));
  });

  it('reads chunks of every length, alone and copied into a larger column', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 1000, 2047, 2048]) {
      for (const scale of [1, 300, 70000, 0.01]) {
        const values = Array.from({ length: n }, (_, i) => (i % 3 === 1 ? NaN : Math.round(i * scale * 100) / 100));
        const blob = roundTrips(values);
        expect(blob.length % 8 === 0).toBe(blob.length === plainLength(n));
        const target = new Float64Array(n + 5).fill(-1);
        copyNumbers(blob, target, 3);
        expect(Array.from(target.subarray(3, 3 + n))).toEqual(values);
        expect([target[0], target[1], target[2], target[n + 3], target[n + 4]]).toEqual([-1, -1, -1, -1, -1]);
      }
    }
  });

  it('reads a packed blob that sits at an odd place of a larger buffer', () => {
    const blob = encodeNumbers(Float64Array.from({ length: 500 }, (_, i) => 1000 + i * 3));
    const moved = Buffer.alloc(blob.length + 1);
    blob.copy(moved, 1);
    expect(Array.from(decodeNumbers(moved.subarray(1)))).toEqual(Array.from({ length: 500 }, (_, i) => 1000 + i * 3));
  });
});
