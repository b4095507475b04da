/** Turns the 65,536 digit counts of one radix pass into each digit's first output slot, in place (an exclusive sum). */
export function countsToOffsets(counts: Uint32Array): void {
  let total = 0;
  for (let d = 0; d < 65536; d += 1) {
    const c = counts[d]!;
    counts[d] = total;
    total += c;
  }
}
