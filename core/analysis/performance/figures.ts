/** The realised and estimated figures of one set of rows (a window, a segment or the whole period). */
import { brierScore, expectedCalibrationError, reliabilityBins, type ReliabilityBin } from './calibration.ts';
import { estimateWindow, type CbpeReference } from './cbpe.ts';
import { rocAuc } from './roc-auc.ts';
import { median, type RowSet } from './rows.ts';
import { realisedConfusion, thresholdMetrics, type ThresholdMetrics } from './threshold-metrics.ts';

export interface RealisedMetrics {
  rocAuc: number | null;
  /** One sampling error of the realised ROC AUC at this many outcomes (NannyML's formula), when calibrated. */
  rocAucSamplingError: number | null;
  brier: number | null;
  ece: number | null;
  bins: ReliabilityBin[];
  defaultRate: number;
  atThreshold: ThresholdMetrics;
}

export interface EstimatedMetrics {
  rocAuc: number | null;
  rocAucLower: number | null;
  rocAucUpper: number | null;
  atThreshold: ThresholdMetrics;
}

export interface PerformanceFigures {
  /** Scored predictions (the champion's own answers, cache hits left out). */
  count: number;
  /** Of which with a known outcome. */
  labelled: number;
  coverage: number | null;
  approvalRate: number | null;
  medianLagDays: number | null;
  /** Null below `minLabelled` outcomes: too few to say anything. */
  realised: RealisedMetrics | null;
  /** Null without a reference to calibrate on. */
  estimated: EstimatedMetrics | null;
}

export function figuresOf(set: RowSet, reference: CbpeReference | null, minLabelled: number): PerformanceFigures {
  const { labelled } = set;
  let approved = 0;
  for (let i = 0; i < set.count; i += 1) approved += 1 - set.refused[i]!;
  let realised: RealisedMetrics | null = null;
  if (labelled.outcome.length >= minLabelled) {
    const bins = reliabilityBins(labelled.probability, labelled.outcome);
    let defaults = 0;
    for (const y of labelled.outcome) defaults += y;
    realised = {
      rocAuc: rocAuc(labelled.probability, labelled.outcome),
      rocAucSamplingError: reference
        ? reference.aucStd / Math.sqrt(labelled.outcome.length * reference.positiveShare)
        : null,
      brier: brierScore(labelled.probability, labelled.outcome),
      ece: expectedCalibrationError(bins),
      bins,
      defaultRate: defaults / labelled.outcome.length,
      atThreshold: thresholdMetrics(realisedConfusion(labelled.refused, labelled.outcome)),
    };
  }
  let estimated: EstimatedMetrics | null = null;
  if (reference && set.count > 0) {
    const estimate = estimateWindow(reference, set.probability, set.refused);
    estimated = {
      rocAuc: estimate.rocAuc,
      rocAucLower: estimate.rocAucLower,
      rocAucUpper: estimate.rocAucUpper,
      atThreshold: thresholdMetrics(estimate.confusion),
    };
  }
  return {
    count: set.count,
    labelled: labelled.outcome.length,
    coverage: set.count > 0 ? labelled.outcome.length / set.count : null,
    approvalRate: set.count > 0 ? approved / set.count : null,
    medianLagDays: median(labelled.lagDays),
    realised,
    estimated,
  };
}
