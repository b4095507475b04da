/**
 * Present values of a numeric column, sorted ascending. A least-significant-digit radix sort on the IEEE-754 bits
 * (16-bit digits, passes skipped when every key shares the digit) sorts a million values several times faster than
 * Float64Array.prototype.sort, which is what keeps drift over a million records × all fields near a second.
 * Columns that repeat a few thousand values (amounts, rates, scores drawn from a finite population) are counted in a
 * hash table instead and only their distinct values sorted, about twice as fast again. Columns of short decimals
 * (amounts, rates, days: k / 10^f with a 32-bit k) sort by their integer keys first (sort-decimals.ts).
 */

import { decimalSort } from './sort-decimals.ts';
import { countsToOffsets, DIGIT_COUNTS } from './radix-offsets.ts';
import { COUNTS, OUTPUT, RADIX, scratchDoubles, scratchWords, scratchZeros } from './sort-scratch.ts';

// Below this size the 65 536-bucket histograms cost more than the comparison sort they replace.
const RADIX_MIN = 40_000;

/**
 * Copies the non-NaN values of `values[from, to)` into a new array, sorted ascending. `transient`: the answer may
 * instead be this thread's scratch memory (sort-scratch.ts), for a caller that is done with it before its next sort.
 */
export function sortedPresent(values: Float64Array, from = 0, to = values.length, transient = false): Float64Array {
  let n = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integers = true;
  for (let i = from; i < to; i += 1) {
    const v = values[i]!;
    if (v !== v) continue;
    n += 1;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && v !== Math.floor(v)) integers = false;
  }
  const out = transient ? scratchDoubles(OUTPUT, n) : new Float64Array(n);
  // Counts, days and codes are small integers: a counting sort over their range is the cheapest of all.
  if (integers && n >= RADIX_MIN && max - min < Math.min(MAX_COUNTING_RANGE, 4 * n)) {
    return countingSort(values, from, to, min, max, out);
  }
  if (n >= RADIX_MIN) {
    const counted = distinctSort(values, from, to, n, out);
    if (counted) return counted;
    const decimals = decimalSort(values, from, to, n, n >>> 1, out);
    if (decimals) return decimals;
  }
  let k = 0;
  for (let i = from; i < to; i += 1) {
    const v = values[i]!;
    if (v === v) out[k++] = v === 0 ? 0 : v; // -0 sorts with 0, as in NumPy
  }
  return n < RADIX_MIN ? out.sort() : radixSort(out);
}

/** Beyond this many distinct values (or one per 8 values) counting them costs about what a radix sort does. */
const MAX_DISTINCT = 1 << 14;
const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);

/** Open addressing: [value, count] pairs side by side, so a probe touches one cache line; NaN marks a free slot. */
class CountTable {
  slots: Float64Array;
  private shift: number;
  distinct = 0;

  constructor(readonly log2Size: number) {
    this.slots = new Float64Array(2 << log2Size).fill(Number.NaN);
    this.shift = 32 - log2Size;
  }

  /** Counts `v` (not NaN, not -0) `times` more times. */
  add(v: number, times: number): void {
    BITS[0] = v;
    // Fibonacci hashing: the high bits of the product depend on every bit of the value.
    const mask = (1 << this.log2Size) - 1;
    let h = Math.imul(WORDS[0]! ^ Math.imul(WORDS[1]!, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
    const slots = this.slots;
    for (;;) {
      const key = slots[2 * h]!;
      if (key === v) {
        slots[2 * h + 1]! += times;
        return;
      }
      if (key !== key) {
        slots[2 * h] = v;
        slots[2 * h + 1] = times;
        this.distinct += 1;
        return;
      }
      h = (h + 1) & mask;
    }
  }

  grown(): CountTable {
    const bigger = new CountTable(this.log2Size + 1);
    const slots = this.slots;
    for (let i = 0; i < slots.length; i += 2) if (slots[i] === slots[i]) bigger.add(slots[i]!, slots[i + 1]!);
    return bigger;
  }
}

/**
 * The `n` present values of `values[from, to)` sorted into `out`, by counting each distinct value in a hash table and
 * sorting only those, or null as soon as there are too many distinct values for that to pay.
 */
function distinctSort(
  values: Float64Array,
  from: number,
  to: number,
  n: number,
  out: Float64Array,
): Float64Array | null {
  const limit = Math.min(MAX_DISTINCT, n >>> 3);
  let table = new CountTable(12);
  for (let i = from; i < to; i += 1) {
    const v = values[i]!;
    if (v !== v) continue;
    table.add(v === 0 ? 0 : v, 1); // -0 sorts with 0, as in NumPy
    if (2 * table.distinct > 1 << table.log2Size) {
      if (table.distinct > limit) return null;
      table = table.grown();
    }
  }
  const slots = table.slots;
  const distinct = new Float64Array(table.distinct);
  let k = 0;
  for (let i = 0; i < slots.length; i += 2) if (slots[i] === slots[i]) distinct[k++] = slots[i]!;
  distinct.sort();
  let at = 0;
  for (let d = 0; d < distinct.length; d += 1) {
    const v = distinct[d]!;
    const c = countIn(table, v);
    out.fill(v, at, at + c);
    at += c;
  }
  return out;
}

function countIn(table: CountTable, v: number): number {
  BITS[0] = v;
  const mask = (1 << table.log2Size) - 1;
  let h = Math.imul(WORDS[0]! ^ Math.imul(WORDS[1]!, 0x85ebca6b), 0x9e3779b1) >>> (32 - table.log2Size);
  while (table.slots[2 * h] !== v) h = (h + 1) & mask;
  return table.slots[2 * h + 1]!;
}
const MAX_COUNTING_RANGE = 1 << 22;

/** The present values of `values[from, to)`, integers in [min, max], sorted into `out` by counting them. */
function countingSort(
  values: Float64Array,
  from: number,
  to: number,
  min: number,
  max: number,
  out: Float64Array,
): Float64Array {
  const counts = scratchZeros(COUNTS, max - min + 1);
  for (let i = from; i < to; i += 1) {
    const v = values[i]!;
    if (v === v) counts[v - min]! += 1;
  }
  let k = 0;
  for (let d = 0; d < counts.length; d += 1) {
    let c = counts[d]!;
    if (c === 0) continue;
    const v = d + min;
    // A loop for short runs: columns of distinct values (identifiers) would pay one fill call per value.
    if (c > 16) {
      out.fill(v, k, k + c);
      k += c;
    } else while (c-- > 0) out[k++] = v;
  }
  return out;
}

/** Sorts `data` in place. */
function radixSort(data: Float64Array): Float64Array {
  const n = data.length;
  const words = new Uint32Array(data.buffer, data.byteOffset, n * 2);
  // Order-preserving keys: flip every bit of negatives, only the sign bit of positives.
  for (let i = 0; i < n; i += 1) {
    const hi = words[2 * i + 1]!;
    if (hi & 0x80000000) {
      words[2 * i + 1] = ~hi >>> 0;
      words[2 * i] = ~words[2 * i]! >>> 0;
    } else {
      words[2 * i + 1] = (hi | 0x80000000) >>> 0;
    }
  }
  let src: Uint32Array = words;
  let dst: Uint32Array = scratchWords(RADIX, n * 2);
  const counts = DIGIT_COUNTS;
  for (let pass = 0; pass < 4; pass += 1) {
    const wordIndex = pass < 2 ? 0 : 1;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let i = 0; i < n; i += 1) counts[(src[2 * i + wordIndex]! >>> shift) & 0xffff]! += 1;
    const firstDigit = (src[wordIndex]! >>> shift) & 0xffff;
    if (counts[firstDigit] === n) continue;
    countsToOffsets(counts);
    for (let i = 0; i < n; i += 1) {
      const lo = src[2 * i]!;
      const hi = src[2 * i + 1]!;
      const digit = ((wordIndex === 0 ? lo : hi) >>> shift) & 0xffff;
      const at = counts[digit]!;
      counts[digit] = at + 1;
      dst[2 * at] = lo;
      dst[2 * at + 1] = hi;
    }
    [src, dst] = [dst, src];
  }
  for (let i = 0; i < n; i += 1) {
    const hi = src[2 * i + 1]!;
    if (hi & 0x80000000) {
      src[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    } else {
      src[2 * i + 1] = ~hi >>> 0;
      src[2 * i] = ~src[2 * i]! >>> 0;
    }
  }
  // After an odd number of passes the keys are in the scratch half: they come back to the caller's memory.
  if (src !== words) words.set(src);
  return data;
}
