/**
 * Working memory of the column sorts, kept from one column to the next on the same thread. A drift of a million
 * records sorts a dozen or more columns, each needing 12–20 MB of keys, radix buffers and counts that never leave the
 * sort: allocated afresh, every one of those pages is faulted in and zeroed again (about 2 µs a 4 KiB page on the
 * reference VM, 4 ms per 8 MB, up to a quarter of a column's sort), while a buffer used before is already mapped.
 *
 * One buffer per slot, grown to the largest request and kept until the analysis ends (releaseSortScratch: a
 * long-lived process, the console's backend or the drift helper thread, does not keep 40 MB per thread between
 * analyses); a request above RETAINED_BYTES gets a buffer of its own that is not kept, so a thread never holds more
 * than SLOTS × RETAINED_BYTES.
 * JavaScript runs one sort at a time on a thread, so a slot is never handed out twice at once; a view is valid until
 * the next request for the same slot.
 */

/** Decimal keys, then their radix source (sort-decimals.ts). */
export const KEYS = 0;
/** The other half of a radix sort's ping-pong. */
export const RADIX = 1;
/** A counting sort's counts. */
export const COUNTS = 2;
/** A sorted column that its caller only reads before the next sort (sortedPresent's `transient`). */
export const OUTPUT = 3;
type Slot = typeof KEYS | typeof RADIX | typeof COUNTS | typeof OUTPUT;

const SLOTS = 4;
/** 32 MB: eight million 32-bit keys or counts, four million doubles; a million records need 4–16 MB a slot. */
const RETAINED_BYTES = 32 * 1024 * 1024;

const EMPTY = new ArrayBuffer(0);
const buffers: ArrayBuffer[] = Array.from({ length: SLOTS }, () => EMPTY);

/** Lets this thread's scratch go (an analysis is over); the next sort makes it again. */
export function releaseSortScratch(): void {
  buffers.fill(EMPTY);
}

function bufferOf(slot: Slot, bytes: number): ArrayBuffer {
  if (bytes > RETAINED_BYTES) return new ArrayBuffer(bytes);
  let buffer = buffers[slot]!;
  if (buffer.byteLength < bytes) {
    // Grown by at least half, so that a run of slightly larger columns does not reallocate every time.
    buffer = new ArrayBuffer(Math.min(RETAINED_BYTES, Math.max(bytes, Math.ceil(buffer.byteLength * 1.5))));
    buffers[slot] = buffer;
  }
  return buffer;
}

/** `n` 32-bit words of `slot`, holding whatever the last user left there. */
export function scratchWords(slot: Slot, n: number): Uint32Array {
  return new Uint32Array(bufferOf(slot, n * 4), 0, n);
}

/** `n` 32-bit integers of `slot`, holding whatever the last user left there. */
export function scratchInts(slot: Slot, n: number): Int32Array {
  return new Int32Array(bufferOf(slot, n * 4), 0, n);
}

/** `n` 32-bit integers of `slot`, all zero. */
export function scratchZeros(slot: Slot, n: number): Int32Array {
  return scratchInts(slot, n).fill(0);
}

/** `n` doubles of `slot`, holding whatever the last user left there. */
export function scratchDoubles(slot: Slot, n: number): Float64Array {
  return new Float64Array(bufferOf(slot, n * 8), 0, n);
}
