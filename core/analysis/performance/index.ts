export { rocAuc } from './roc-auc.ts';
export { brierScore, expectedCalibrationError, reliabilityBins, type ReliabilityBin } from './calibration.ts';
export {
  COST_FALSE_NEGATIVE,
  COST_FALSE_POSITIVE,
  realisedConfusion,
  thresholdMetrics,
  type Confusion,
  type ThresholdMetrics,
} from './threshold-metrics.ts';
export { fitIsotonic, type Calibrator } from './isotonic.ts';
export { estimatedRocAuc, estimateWindow, fitCbpe, type CbpeEstimate, type CbpeReference } from './cbpe.ts';
export { ageBand, FOUR_FIFTHS, SEGMENTS, type GroupFigures, type Segment, type SegmentFigures } from './fairness.ts';
export type { EstimatedMetrics, PerformanceFigures, RealisedMetrics } from './figures.ts';
export { validationMetrics, type ValidationMetrics } from './validation.ts';
export type { LabelledRows, OutcomeCounts, PerformanceSource } from './source.ts';
export {
  analyzePerformance,
  PERFORMANCE_WINDOWS,
  type PerformanceAnalysis,
  type PerformanceOptions,
  type PerformanceWindow,
  type PerformanceWindowFigures,
} from './analyze-performance.ts';
export {
  DEFAULT_REFERENCE_DAYS,
  PerformanceInputError,
  storedPerformance,
  type StoredPerformanceOptions,
} from './stored-performance.ts';
