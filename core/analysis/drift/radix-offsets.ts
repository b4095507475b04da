/**
 * One radix pass's 65,536 digit counts, kept for the thread: both radix sorts (sort-numbers.ts, sort-decimals.ts)
 * clear it before each pass, and one sort runs at a time on a thread.
 */
export const DIGIT_COUNTS = new Uint32Array(65536);

/** Turns the 65,536 digit counts of one radix pass into each digit's first output slot, in place (an exclusive sum). */
export function countsToOffsets(counts: Uint32Array): void {
  let total = 0;
  for (let d = 0; d < 65536; d += 1) {
    const c = counts[d]!;
    counts[d] = total;
    total += c;
  }
}
