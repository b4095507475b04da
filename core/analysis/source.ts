/**
 * What analysis reads from a store of production records, as columns. `core/analysis` computes on these plain arrays
 * and never imports `db/`; `db/`'s store implements `RecordSource`, and the shells (CLI, console backend) pass it in.
 */
import type { FieldSpec } from '../contract/index.ts';

/** A half-open time range [from, to) in epoch milliseconds; an absent bound is open. */
export interface TimeRange {
  from?: number;
  to?: number;
}

export interface RecordFilter extends TimeRange {
  /** Only records served by this model (name and, optionally, version). */
  model?: { name: string; version?: string };
  /** Only records answered by this model of the chain (`served_by`: champion, fallback, rules…). */
  servedBy?: string;
  /** Only these statuses (default for drift: ["ok"], the records that were scored). */
  statuses?: Array<'ok' | 'invalid' | 'rejected' | 'error'>;
}

export interface CategoryColumn {
  /** Index into `labels` per record, -1 when missing. */
  codes: Int32Array;
  labels: string[];
}

/** Input fields and the predicted probability of the selected records, in time order. */
export interface ColumnData {
  count: number;
  /** Request time per record, epoch milliseconds. */
  ts: Float64Array;
  /** Number and integer fields: NaN when missing. */
  numbers: Map<string, Float64Array>;
  categories: Map<string, CategoryColumn>;
  /** The predicted probability (NaN when the record has none). */
  probability: Float64Array;
}

export const STATUS_CODES = { ok: 0, invalid: 1, rejected: 2, error: 3 } as const;

/** What operational anomaly detection needs, one entry per record, in time order. */
export interface OperationalData {
  count: number;
  ts: Float64Array;
  /** STATUS_CODES value per record. */
  status: Uint8Array;
  /** Total latency in ms; NaN when not recorded. */
  latencyMs: Float64Array;
  /** 1 when the answer was degraded (served by the fallback model or the rules), else 0. */
  degraded: Uint8Array;
}

export interface RecordSource {
  readColumns(filter: RecordFilter, fields: readonly FieldSpec[]): ColumnData;
  readOperational(filter: TimeRange): OperationalData;
  /** First and last stored request times, or null when the store is empty. */
  timeBounds(): { from: number; to: number } | null;
}
