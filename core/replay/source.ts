/**
 * What a replay reads from a store of production records: the scored requests of a period, in batches, with the
 * answer that was logged for each. `db/` implements it; `core/replay` never imports `db/`.
 */
import type { FieldSpec } from '../contract/index.ts';
import type { ScoringColumns } from '../engine/index.ts';

/** A half-open period [from, to) in epoch milliseconds; an absent bound is open. */
export interface ReplayFilter {
  from?: number;
  to?: number;
}

/** What the logs say a shadow model answered for each request of a batch (CONTRACT.md §3, `shadow`). */
export interface LoggedShadow {
  /** `name/version` of the shadow model per request, null when the request has no shadow answer. */
  model: Array<string | null>;
  /** NaN when the shadow failed or did not run. */
  probability: Float64Array;
  /** 1 refuse, 0 approve, 255 no answer. */
  refused: Uint8Array;
  /** NaN when not recorded. */
  latencyMs: Float64Array;
  /** The shadow's error code, or null. */
  error: Array<string | null>;
}

export interface ReplayBatch {
  count: number;
  /**
   * The stored input of the requests as typed columns (as logged: validated by the API, SK_ID_CURR left out), one per
   * field read: numbers NaN when missing, categories as dictionary codes (-1 missing) into their labels.
   */
  columns: ScoringColumns;
  /** The logged probability (NaN when the record has none). */
  probability: Float64Array;
  /** The logged decision: 1 refuse, 0 approve, 255 none. */
  refused: Uint8Array;
  /** Who answered the logged request (champion, fallback, rules, challenger…). */
  servedBy: Array<string | null>;
  /** The logged inference latency in ms (NaN when not recorded). */
  inferenceMs: Float64Array;
  /** The observed outcome (labels table): 1 defaulted, 0 repaid, -1 unknown. */
  outcome: Int8Array;
  /** The canary arm that answered (`arm`), null when no canary ran. */
  arm: Array<string | null>;
  /** Present when the source was asked for logged shadow answers. */
  shadow?: LoggedShadow;
}

export interface ReplayReadOptions {
  /** About this many requests per batch (a chunk of the period; records sharing a timestamp stay together). */
  batchSize: number;
  /** The input fields read into each applicant (the candidate's schema). @default every stored input column */
  fields?: readonly FieldSpec[];
  /** Read the logged shadow answers too (costs a JSON read per record). @default false */
  withShadow?: boolean;
}

export interface ReplaySource {
  /** Scored (status `ok`) requests in the period. */
  countScored(filter: ReplayFilter): number;
  /** Labels (observed outcomes) stored, all periods. */
  countLabels(): number;
  /** The scored requests of the period in time order, about `batchSize` at a time; memory holds one batch per step. */
  replayBatches(filter: ReplayFilter, options: ReplayReadOptions): Iterable<ReplayBatch>;
}
