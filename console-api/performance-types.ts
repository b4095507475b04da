/**
 * Wire types of the Performance page: the performance analysis of core/analysis/performance, the alerts and their
 * webhook deliveries, as the console backend sends them. Pure types, shared by the renderer and the backend.
 */
import type { StoredAlert, StoredDelivery } from '../core/alerts/alert-state.ts';
import type { ValidationMetrics } from '../core/analysis/performance/validation.ts';

export interface ReliabilityBinView {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number | null;
  observedDefaultRate: number | null;
}

export interface ThresholdView {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  precision: number | null;
  recall: number | null;
  approvalRate: number | null;
  costPerApplicant: number | null;
}

export interface PerformanceFiguresView {
  count: number;
  labelled: number;
  coverage: number | null;
  approvalRate: number | null;
  medianLagDays: number | null;
  realised: {
    rocAuc: number | null;
    rocAucSamplingError: number | null;
    brier: number | null;
    ece: number | null;
    bins: ReliabilityBinView[];
    defaultRate: number;
    atThreshold: ThresholdView;
  } | null;
  estimated: {
    rocAuc: number | null;
    rocAucLower: number | null;
    rocAucUpper: number | null;
    atThreshold: ThresholdView;
  } | null;
}

export interface GroupView {
  group: string;
  count: number;
  labelled: number;
  approvalRate: number | null;
  approvalRatio: number | null;
  flagged: boolean;
  realisedRocAuc: number | null;
  estimatedRocAuc: number | null;
}

export interface SegmentView {
  segment: string;
  bestGroup: string | null;
  groups: GroupView[];
}

export interface PerformanceWindowView extends PerformanceFiguresView {
  start: number;
  end: number;
  segments: SegmentView[];
}

/** The package's validation metrics as core/analysis/performance reads them (a type-only import, erased). */
export type ValidationView = ValidationMetrics;

/** An alert as core/alerts keeps it (a type-only import, erased). */
export type AlertView = StoredAlert;

/** A webhook delivery as core/alerts records it. */
export type DeliveryView = StoredDelivery;

export interface PerformanceResult {
  range: { from: number; to: number };
  window: 'hour' | 'day' | 'week';
  /** Null when the store holds no scored champion answers in the range. */
  analysis: {
    models: Array<{ name: string; version: string }>;
    validation: ValidationView | null;
    reference: { from: number; to: number; rows: number; labelled: number; calibrated: boolean } | null;
    outcomes: { labels: number; unmatchedByRequest: number; conflicts: number };
    baseline: { rocAuc: number; source: string } | null;
    overall: PerformanceFiguresView;
    segments: SegmentView[];
    windows: PerformanceWindowView[];
  } | null;
  alerts: AlertView[];
  deliveries: DeliveryView[];
  /** The retraining recommendation over the range, when performance or drift rules fired long enough. */
  retraining: { message: string; reasons: string[]; command: string } | null;
  /** Rules the console could not judge, and why (drift rules run in `vigie check`). */
  notes: string[];
}

export interface OutcomeImportResult {
  /** Why the file was refused, in the user's terms; null when it was imported. */
  refused: string | null;
  lines: number;
  inserted: number;
  duplicates: number;
  conflicts: number;
  unmatched: number;
  quarantined: number;
  byReason: Record<string, number>;
  conflictList: Array<{
    lineNo: number;
    requestId: string | null;
    applicantRef: string | null;
    storedOutcome: number;
    newOutcome: number;
  }>;
  unmatchedList: Array<{ lineNo: number; requestId: string | null; applicantRef: string | null }>;
}
