/** The port performance analysis reads through (implemented by db/outcome-table.ts). */

/** The champion's scored predictions of a period in time order, each with its outcome when known. */
export interface LabelledRows {
  count: number;
  ts: Float64Array;
  probability: Float64Array;
  /** The decision threshold the answer used (NaN when not logged). */
  threshold: Float64Array;
  /** 1 defaulted, 0 repaid, -1 no outcome yet. */
  outcome: Int8Array;
  /** When the outcome became known (NaN without one). */
  observedAt: Float64Array;
  gender: Array<string | null>;
  contract: Array<string | null>;
  daysBirth: Float64Array;
  models: Array<{ name: string; version: string }>;
}

export interface OutcomeCounts {
  labels: number;
  /** Request-keyed outcomes whose request the store does not hold (yet). */
  unmatchedByRequest: number;
  conflicts: number;
}

export interface PerformanceSource {
  labelledRows(from: number, to: number): LabelledRows;
  outcomeCounts(): OutcomeCounts;
  /** First and last stored request times, or null when the store holds none. */
  predictionBounds(): { from: number; to: number } | null;
}
