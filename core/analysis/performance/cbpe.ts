/**
 * Confidence-based performance estimation (CBPE, after NannyML's `CBPE`) for the windows whose outcomes are not
 * known yet. Calibration step: an isotonic regression fitted on the reference period's labelled rows (probability →
 * outcome) maps each served probability to a calibrated one; the expected confusion matrix at the decision and the
 * expected ROC AUC then follow from the calibrated probabilities alone, as NannyML computes them.
 * The confidence band is NannyML's: ±3 sampling errors, each from the reference period's per-row spread scaled to
 * the window's size (1/√n), clipped to [0, 1]. CBPE assumes the probability → outcome relation of the reference holds:
 * it sees covariate shift, not concept drift (docs/performance.md).
 */
import { fitIsotonic, type Calibrator } from './isotonic.ts';
import type { Confusion } from './threshold-metrics.ts';

export interface CbpeReference {
  calibrate: Calibrator;
  rows: number;
  /** Std of the per-positive normalised Mann–Whitney terms, and the positive share (NannyML's AUROC components). */
  aucStd: number;
  positiveShare: number;
  /** Per-row std of each confusion cell's indicator (NannyML's confusion-matrix components, counts). */
  cellStd: Confusion;
}

export interface CbpeEstimate {
  rocAuc: number | null;
  rocAucLower: number | null;
  rocAucUpper: number | null;
  confusion: Confusion;
  /** Sampling error (one standard error) of each estimated count. */
  confusionError: Confusion;
}

const std = (values: ArrayLike<number>): number => {
  const n = values.length;
  if (n === 0) return 0;
  let mean = 0;
  for (let i = 0; i < n; i += 1) mean += values[i]!;
  mean /= n;
  let sum = 0;
  for (let i = 0; i < n; i += 1) sum += (values[i]! - mean) ** 2;
  return Math.sqrt(sum / n);
};

const indicatorStd = (count: number, n: number) => (n > 0 ? Math.sqrt((count / n) * (1 - count / n)) : 0);

/** Fits the calibrator and the sampling-error components on the reference's labelled rows. */
export function fitCbpe(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  refused: ArrayLike<number>,
): CbpeReference | null {
  const n = probabilities.length;
  let positives = 0;
  for (let i = 0; i < n; i += 1) positives += labels[i]!;
  if (n === 0 || positives === 0 || positives === n) return null;
  // AUROC components as NannyML's auroc_sampling_error_components (minority class as positive).
  const flip = positives / n > 0.5;
  const score = (i: number) => (flip ? 1 - probabilities[i]! : probabilities[i]!);
  const truth = (i: number) => (flip ? 1 - labels[i]! : labels[i]!);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score(a) - score(b));
  const terms: number[] = [];
  let seen = 0;
  const minority = flip ? n - positives : positives;
  order.forEach((row, rank) => {
    if (truth(row) === 1) {
      if (rank > 0) terms.push((rank - seen) / (n - minority));
      seen += 1;
    }
  });
  const cells = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (let i = 0; i < n; i += 1) {
    if (refused[i] === 1) cells[labels[i] === 1 ? 'truePositives' : 'falsePositives'] += 1;
    else cells[labels[i] === 1 ? 'falseNegatives' : 'trueNegatives'] += 1;
  }
  return {
    calibrate: fitIsotonic(probabilities, labels),
    rows: n,
    aucStd: std(terms),
    positiveShare: minority / n,
    cellStd: {
      truePositives: indicatorStd(cells.truePositives, n),
      falsePositives: indicatorStd(cells.falsePositives, n),
      trueNegatives: indicatorStd(cells.trueNegatives, n),
      falseNegatives: indicatorStd(cells.falseNegatives, n),
    },
  };
}

/** NannyML's estimate_roc_auc: expected TP/FP counts along the served probabilities, descending. */
export function estimatedRocAuc(calibrated: ArrayLike<number>, served: ArrayLike<number>): number | null {
  const n = served.length;
  if (n === 0) return null;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => served[b]! - served[a]!);
  const round5 = (v: number) => Math.round(v * 1e5) / 1e5;
  const tps = new Float64Array(n + 1);
  const fps = new Float64Array(n + 1);
  let tp = 0;
  order.forEach((row, k) => {
    tp += calibrated[row]!;
    tps[k + 1] = round5(tp);
    fps[k + 1] = round5(k + 1 - tp);
  });
  const totalTp = tps[n]!;
  const totalFp = fps[n]!;
  if (totalTp <= 0 || totalFp <= 0) return null;
  let area = 0;
  for (let k = 1; k <= n; k += 1) {
    area += ((fps[k]! - fps[k - 1]!) / totalFp) * ((tps[k]! + tps[k - 1]!) / totalTp / 2);
  }
  return area;
}

/** The estimate for one window's served probabilities and decisions. */
export function estimateWindow(
  reference: CbpeReference,
  served: ArrayLike<number>,
  refused: ArrayLike<number>,
): CbpeEstimate {
  const n = served.length;
  const calibrated = new Float64Array(n);
  const confusion: Confusion = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (let i = 0; i < n; i += 1) {
    const p = reference.calibrate(served[i]!);
    calibrated[i] = p;
    if (refused[i] === 1) {
      confusion.truePositives += p;
      confusion.falsePositives += 1 - p;
    } else {
      confusion.falseNegatives += p;
      confusion.trueNegatives += 1 - p;
    }
  }
  const rocAuc = estimatedRocAuc(calibrated, served);
  const aucError = n > 0 ? reference.aucStd / Math.sqrt(n * reference.positiveShare) : 0;
  const scale = Math.sqrt(n);
  return {
    rocAuc,
    rocAucLower: rocAuc === null ? null : Math.max(0, rocAuc - 3 * aucError),
    rocAucUpper: rocAuc === null ? null : Math.min(1, rocAuc + 3 * aucError),
    confusion,
    confusionError: {
      truePositives: reference.cellStd.truePositives * scale,
      falsePositives: reference.cellStd.falsePositives * scale,
      trueNegatives: reference.cellStd.trueNegatives * scale,
      falseNegatives: reference.cellStd.falseNegatives * scale,
    },
  };
}
