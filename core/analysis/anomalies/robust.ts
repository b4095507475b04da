/** Robust location and scale for baselines: the median and the median absolute deviation. */

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** MAD scaled by 1.4826, so that it estimates the standard deviation of normal data. */
export function scaledMad(values: readonly number[], center = median(values)): number {
  return 1.4826 * median(values.filter((v) => !Number.isNaN(v)).map((v) => Math.abs(v - center)));
}
