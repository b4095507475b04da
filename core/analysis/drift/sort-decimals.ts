/**
 * Sorting columns of short decimals (amounts to the cent, rates and scores to six places, days): every value is
 * k / 10^f for one scale f and a 32-bit integer k, as when it was read from text with at most f decimals. Their keys
 * k sort with a counting sort or two 16-bit radix passes instead of four passes over the IEEE-754 bits, and each value
 * comes back exactly: k / 10^f is checked to give the very same double before the column takes this path.
 *
 * The order is exact too: division by a positive power of ten is correctly rounded, hence monotone in k, and equal
 * values have equal keys (k is computed from the value), so sorting the keys sorts the values.
 */
import { countsToOffsets, DIGIT_COUNTS } from './radix-offsets.ts';
import { COUNTS, KEYS, RADIX, scratchInts, scratchWords, scratchZeros } from './sort-scratch.ts';

const SCALES = Array.from({ length: 10 }, (_, f) => 10 ** f);
/** Keys stay within ±2^31 so that they fit an Int32Array and their range a Uint32. */
const KEY_LIMIT = 2 ** 31 - 1;

/** The smallest scale f at which `v` is k / 10^f exactly with |k| ≤ KEY_LIMIT, or -1. */
function scaleOf(v: number): number {
  for (let f = 0; f < SCALES.length; f += 1) {
    const s = SCALES[f]!;
    const k = Math.round(v * s);
    if (Math.abs(k) > KEY_LIMIT) return -1;
    if (k / s === v) return f;
  }
  return -1;
}

/**
 * The `n` present values of `values[from, to)` sorted through their decimal keys, or null when some value is not a
 * short decimal (then the caller sorts the doubles themselves). A counting sort when the keys span at most
 * `countingRange`, else a least-significant-digit radix sort of the keys. The values go into `out` (length `n`).
 */
export function decimalSort(
  values: Float64Array,
  from: number,
  to: number,
  n: number,
  countingRange: number,
  out: Float64Array,
): Float64Array | null {
  // The scale is the largest any value needs: a value exact at f is exact at every larger scale within the limit,
  // so on a value that needs more the keys are taken again from the start at the larger scale (at most 9 times).
  let f = 0;
  let s = 1;
  const keys = scratchInts(KEYS, n);
  let min = KEY_LIMIT;
  let max = -KEY_LIMIT;
  for (let at = 0, i = from; i < to; i += 1) {
    const v = values[i]!;
    if (v !== v) continue;
    const k = Math.round(v * s);
    if (k / s !== v || k > KEY_LIMIT || k < -KEY_LIMIT) {
      const g = scaleOf(v);
      if (g <= f) return null;
      f = g;
      s = SCALES[f]!;
      min = KEY_LIMIT;
      max = -KEY_LIMIT;
      at = 0;
      i = from - 1;
      continue;
    }
    keys[at++] = k;
    if (k < min) min = k;
    if (k > max) max = k;
  }
  if (n === 0) return out;
  const range = max - min;
  if (range < countingRange) {
    const counts = scratchZeros(COUNTS, range + 1);
    for (let i = 0; i < n; i += 1) counts[keys[i]! - min]! += 1;
    let k = 0;
    for (let d = 0; d <= range; d += 1) {
      let c = counts[d]!;
      if (c === 0) continue;
      const v = (d + min) / s;
      if (c > 16) {
        out.fill(v, k, k + c);
        k += c;
      } else while (c-- > 0) out[k++] = v;
    }
    return out;
  }
  const sorted = radixSortKeys(keys, min, range);
  for (let i = 0; i < n; i += 1) out[i] = (sorted[i]! + min) / s;
  return out;
}

/**
 * Keys minus `min` (in [0, range]) sorted ascending, by 16-bit digits; the second pass only when range needs it.
 * The keys' own memory holds the first pass's source.
 */
function radixSortKeys(keys: Int32Array, min: number, range: number): Uint32Array {
  const n = keys.length;
  let src = new Uint32Array(keys.buffer, keys.byteOffset, n);
  for (let i = 0; i < n; i += 1) src[i] = keys[i]! - min;
  let dst = scratchWords(RADIX, n);
  const counts = DIGIT_COUNTS;
  for (let shift = 0; shift < 32 && range >>> shift > 0; shift += 16) {
    counts.fill(0);
    for (let i = 0; i < n; i += 1) counts[(src[i]! >>> shift) & 0xffff]! += 1;
    countsToOffsets(counts);
    for (let i = 0; i < n; i += 1) {
      const key = src[i]!;
      const digit = (key >>> shift) & 0xffff;
      dst[counts[digit]!++] = key;
    }
    [src, dst] = [dst, src];
  }
  return src;
}
