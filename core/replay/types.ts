/** The result of a replay (or of reading shadow answers from the logs): what a promotion review looks at. */

export interface FlipTable {
  /** Requests compared (both answers present). */
  total: number;
  /** Baseline approved and candidate approved, … refused, and so on. */
  approveApprove: number;
  approveRefuse: number;
  refuseApprove: number;
  refuseRefuse: number;
  /** Shares of `total` (0 when total is 0). */
  rates: { approveRefuse: number; refuseApprove: number; flips: number };
}

export interface DeltaSummary {
  /** candidate probability − baseline probability. */
  mean: number;
  meanAbs: number;
  maxAbs: number;
  /** Quantiles of |Δp| read from a 0.0005-wide histogram (so exact to 0.0005). */
  p50Abs: number;
  p95Abs: number;
  p99Abs: number;
  /**
   * Histogram of Δp: `counts[0]` is below `edges[0]`, `counts[i]` in [edges[i-1], edges[i]), the last count at or
   * above the last edge (so `counts` has one more entry than `edges`).
   */
  edges: number[];
  counts: number[];
}

export interface SegmentRow {
  field: string;
  value: string;
  count: number;
  baselineApproval: number;
  candidateApproval: number;
  /** candidateApproval − baselineApproval. */
  change: number;
  /** 95 % confidence interval of `change` (paired decisions on the same requests, as McNemar's test). */
  changeCi: [number, number];
  flips: number;
  flipRate: number;
}

export interface ConcentrationRow {
  field: string;
  kind: 'number' | 'category';
  /** number: standardised mean difference; category: total variation distance between the two groups. */
  measure: 'smd' | 'tvd';
  score: number;
  /** Plain words: the flipped and unflipped means, or the category most over-represented among flips. */
  detail: string;
}

export interface LatencySummary {
  /** Who the figures are about: `candidate`, `baseline` (another model) or `logged` (what production recorded). */
  who: 'candidate' | 'baseline' | 'logged';
  /** Per-request latency (ms): one applicant at a time (models) or as logged (inference part of the record). */
  p50Ms: number | null;
  p99Ms: number | null;
  meanMs: number | null;
  /** Rows per second through the model in replay batches (models only). */
  rowsPerSecond: number | null;
  samples: number;
}

export interface OutcomeSummary {
  /** Compared requests with a known outcome. */
  labelled: number;
  defaults: number;
  baseline: { auc: number | null; costPerApplicant: number };
  candidate: { auc: number | null; costPerApplicant: number };
  /** Cost of one approved defaulter and one refused good payer (the training pipeline's business cost). */
  costs: { falseNegative: number; falsePositive: number };
}

export interface ModelLabel {
  /** `logged`, `shadow`, or the reference given (`challenger`, a directory). */
  ref: string;
  /** `name/version` when a model answered; for logged answers, the models seen. */
  models: string[];
}

export interface ReplayVerdict {
  level: 'equivalent' | 'review' | 'hold';
  /** One sentence per finding, each with its number. */
  reasons: string[];
}

export interface ArmSummary {
  arm: string;
  requests: number;
  approval: number;
  meanProbability: number;
  degradedRate: number;
  p99InferenceMs: number | null;
}

export interface ReplayReport {
  kind: 'replay' | 'shadow';
  period: { from: number | null; to: number | null };
  candidate: ModelLabel;
  baseline: ModelLabel;
  /** Scored requests in the period. */
  requests: number;
  compared: number;
  /** Requests the candidate could not score (the model failed on them); left out of the comparison. */
  candidateErrors: number;
  /** Baseline answers by who gave them (a logged baseline may include fallback and rule answers). */
  baselineServedBy: Record<string, number>;
  flips: FlipTable;
  delta: DeltaSummary;
  approval: { baseline: number; candidate: number; change: number; changeCi: [number, number] };
  segments: SegmentRow[];
  concentration: ConcentrationRow[];
  latency: LatencySummary[];
  /** Null when no compared request has a known outcome. */
  outcomes: OutcomeSummary | null;
  /** Labels stored in the database (any period), to tell "no labels at all" from "none for this period". */
  labelsStored: number;
  /** Canary arms seen in the period's logs (empty when no canary ran). */
  arms: ArmSummary[];
  verdict: ReplayVerdict;
  /** Wall-clock seconds of the whole replay. */
  elapsedS: number;
  /** Where the time went (seconds, main thread): reading the store, waiting for the models, comparing. */
  stages?: { readS: number; scoreWaitS: number; compareS: number };
  cancelled: false;
}
