/** Brier score and reliability (calibration) bins with the expected calibration error, as the training report. */

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number | null;
  observedDefaultRate: number | null;
}

export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = probabilities.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i += 1) sum += (probabilities[i]! - labels[i]!) ** 2;
  return sum / n;
}

/** `bins` equal-width bins over [0, 1]; the last bin includes 1. */
export function reliabilityBins(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): ReliabilityBin[] {
  const counts = new Array<number>(bins).fill(0);
  const predicted = new Array<number>(bins).fill(0);
  const observed = new Array<number>(bins).fill(0);
  for (let i = 0; i < probabilities.length; i += 1) {
    const p = probabilities[i]!;
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    counts[bin] = counts[bin]! + 1;
    predicted[bin] = predicted[bin]! + p;
    observed[bin] = observed[bin]! + labels[i]!;
  }
  return counts.map((count, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count,
    meanPredicted: count > 0 ? predicted[b]! / count : null,
    observedDefaultRate: count > 0 ? observed[b]! / count : null,
  }));
}

/** Σ (bin share) · |mean predicted − observed rate| over the non-empty bins. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number | null {
  const total = bins.reduce((sum, bin) => sum + bin.count, 0);
  if (total === 0) return null;
  let ece = 0;
  for (const bin of bins) {
    if (bin.count > 0) ece += (bin.count / total) * Math.abs(bin.meanPredicted! - bin.observedDefaultRate!);
  }
  return ece;
}
