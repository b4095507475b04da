/**
 * The scoring engine's public types: what the API, the console and the CLI code against.
 * Inference runs in worker threads (onnxruntime-node's `run()` blocks its thread); this surface is async.
 */
import type { Applicant, InputSchema, ValidationIssue } from '../contract/index.ts';
import type { ScoringColumns } from './typed-columns.ts';

/** Who answered: the champion model, the fallback model, or the conservative rule (see `conservative-rule.ts`). */
export type ServedBy = 'champion' | 'fallback' | 'rules';
export type ModelRole = 'champion' | 'fallback';
export type Decision = 'approve' | 'refuse';
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive failures or timeouts that open the breaker. @default 5 */
  failureThreshold: number;
  /** How long the breaker stays open before one half-open probe is let through. @default 30000 */
  openMs: number;
}

export interface EngineOptions {
  /** Folder holding `registry.json` and the packages. @default 'models' */
  modelsDir?: string;
  /** Champion: a registry alias (`champion`), a version of the registered model (`3`), or a package directory. @default 'champion' */
  champion?: string;
  /** Fallback model, same forms as `champion`; `null` disables it (champion failures go straight to the rule). @default 'fallback' when the registry has that alias, else null */
  fallback?: string | null;
  /** Worker threads per model. @default os.availableParallelism() */
  workers?: number;
  /** ONNX Runtime intra-op threads per worker. @default max(1, floor(cores / workers)) so the pool never oversubscribes */
  intraOpThreads?: number;
  /** ONNX Runtime graph optimisation level of every session (profiling compares them). @default 'all' */
  graphOptimizationLevel?: GraphOptimizationLevel;
  /** A micro-batch is flushed as soon as it holds this many applicants. @default 64 */
  maxBatchSize?: number;
  /** …or when its first applicant has waited this long. @default 1 */
  maxWaitMs?: number;
  /** Per-call deadline for one model (queue + inference); past it the next link of the fallback chain answers. @default 250 */
  deadlineMs?: number;
  /** Applicants waiting or in flight per model before `score` throws OverloadedError (load shedding). @default 10000 */
  maxQueue?: number;
  /**
   * Score an applicant that arrives alone on the caller's thread instead of a worker (the champion, CPU provider):
   * no thread hand-off, so a single row costs one run (≈ 0.03 ms) instead of a run and two thread wake-ups, but the
   * caller's thread is busy for that run. Only for callers whose thread serves nobody else (the CLI, the console
   * backend's utilityProcess); never for the API, whose event loop must not run inference (ARCHITECTURE.md,
   * decision 1613). Applicants arriving together still go to the workers. @default false
   */
  loneApplicantsInline?: boolean;
  /** Execution providers by preference; unavailable ones are skipped with a logged reason. `cpu` is always appended. @default ['cpu'] */
  providers?: string[];
  /** LRU cache entries keyed on the canonical applicant; 0 turns the cache off. @default 0 */
  cacheSize?: number;
  breaker?: Partial<BreakerOptions>;
  observer?: EngineObserver;
  /** Milliseconds clock used by the circuit breaker. @default Date.now */
  clock?: () => number;
  /** Where operational notes go (skipped providers, replaced workers). @default no output */
  log?: (message: string) => void;
}

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface BatchEvent {
  role: ModelRole;
  model: ModelRef;
  size: number;
  queueMs: number;
  inferenceMs: number;
  /** Where the time of this batch went, measured at each hand-over (docs/profiling.md). */
  stages?: StageTimings;
}

/** One micro-batch's wall time by stage, in milliseconds; transfer and return cross threads on the shared clock. */
export interface StageTimings {
  /** From the oldest applicant's arrival to the batch's dispatch. */
  queueMs: number;
  /** Packing the applicants into typed columns. */
  packMs: number;
  /** From posting the batch to the worker picking it up (message passing and the worker's own queue). */
  transferMs: number;
  /** Tensors built and `session.run()` in the worker. */
  inferenceMs: number;
  /** From the worker posting the probabilities to the pool receiving them. */
  returnMs: number;
}

/** Hooks for metrics; every hook is optional and must not throw. */
export interface EngineObserver {
  batch?(event: BatchEvent): void;
  fallback?(event: { from: ServedBy; to: ServedBy; reason: string }): void;
  cache?(hit: boolean): void;
  breaker?(event: { role: ModelRole; model: ModelRef; state: BreakerState }): void;
  workerExit?(event: { role: ModelRole; model: ModelRef; worker: number; reason: string }): void;
}

export interface ModelRef {
  name: string;
  version: string;
  /** The alias it was loaded under, or null when loaded from a directory. */
  alias: string | null;
}

export interface ScoreResult {
  probability: number;
  decision: Decision;
  /** The threshold of whoever answered (the rule has its own). */
  threshold: number;
  model: ModelRef;
  served_by: ServedBy;
  /** True whenever the champion did not answer. */
  degraded: boolean;
  cache_hit: boolean;
  /** Why the answer is degraded (champion error, timeout, open breaker…). */
  reason?: string;
  latency: { queue_ms: number; inference_ms: number };
}

/** Who answered the rows of a `scoreColumns` call: `servedBy` codes index `answeredBy`. */
export const SERVED_BY_CODES = { champion: 0, fallback: 1, rules: 2 } as const;

/** The answers of `scoreColumns`, one typed value per row and no per-row objects. */
export interface ColumnScores {
  rows: number;
  /** The probability per row, bit-identical to `scoreMany`'s on the same applicants. */
  probabilities: Float64Array;
  /** 1 = refuse, 0 = approve (probability ≥ the threshold of whoever answered the row). */
  decisions: Uint8Array;
  /** SERVED_BY_CODES per row: 0 champion, 1 fallback model, 2 conservative rule. */
  servedBy: Uint8Array;
  /** Indexed by the codes of `servedBy`; the fallback entry is null when the engine has no fallback model. */
  answeredBy: [ColumnAnswerer, ColumnAnswerer | null, ColumnAnswerer];
  /** Why some rows are degraded (not answered by the champion), or null. */
  reason: string | null;
  inferenceMs: number;
}

export interface ColumnAnswerer {
  served_by: ServedBy;
  model: ModelRef;
  threshold: number;
}

export interface ScoreOptions {
  /** Overrides `EngineOptions.deadlineMs` for this call. */
  deadlineMs?: number;
  signal?: AbortSignal;
}

export interface ProviderSkip {
  provider: string;
  reason: string;
}

export interface ModelDescription extends ModelRef {
  role: ModelRole;
  dir: string;
  kind: string;
  threshold: number;
  provider: string;
  providersSkipped: ProviderSkip[];
  workers: number;
  /** Workers running now (fewer than `workers` while a replacement starts). */
  liveWorkers?: number;
  intraOpThreads: number;
  inputs: string[];
  outputs: string[];
  loadMs: number;
  breaker: BreakerState;
}

export interface EngineStats {
  served: Record<ServedBy, number>;
  cache: { hits: number; misses: number; size: number };
  workerRestarts: number;
}

export interface EngineDescription {
  ready: boolean;
  models: ModelDescription[];
  options: {
    maxBatchSize: number;
    maxWaitMs: number;
    deadlineMs: number;
    maxQueue: number;
    cacheSize: number;
    breaker: BreakerOptions;
  };
}

export interface ScoringEngine {
  readonly ready: boolean;
  /** The served champion's input schema: validate applicants with it before calling `score`. */
  readonly schema: InputSchema;
  /** Scores one applicant already validated by `schema`. Throws OverloadedError when the queue is full. */
  score(applicant: Applicant, options?: ScoreOptions): Promise<ScoreResult>;
  /** Scores validated applicants as one batch per model run (offline scoring, benchmarks); same fallback chain. */
  scoreMany(applicants: readonly Applicant[], options?: ScoreOptions): Promise<ScoreResult[]>;
  /**
   * Scores typed columns (a Float64Array per number field, NaN = missing; dictionary codes per category field, -1 =
   * missing), as the CSV and store readers produce them: checked against `schema` as applicants are (ColumnsError
   * otherwise), packed straight from the arrays, same fallback chain as `scoreMany`.
   */
  scoreColumns(columns: ScoringColumns, options?: ScoreOptions): Promise<ColumnScores>;
  /** Applicants waiting or in flight for the champion. */
  queueDepth(): number;
  describe(): EngineDescription;
  stats(): EngineStats;
  /** Terminates one worker as a crash would (operations and fault tests); the pool replaces it. */
  terminateWorker(role: ModelRole, index: number): Promise<void>;
  close(): Promise<void>;
}

/** A row that could not be read or validated, passed through the offline stream in its place. */
export interface RowError {
  /** VALIDATION_FAILED (schema issues) or a reading error such as INVALID_JSON, BAD_NUMBER, CSV_COLUMN_COUNT. */
  code: string;
  issues: Array<ValidationIssue | { path: string; code: string; message: string }>;
}

export type OfflineOutcome =
  { index: number; ok: true; result: ScoreResult } | { index: number; ok: false; error: RowError };

export interface OfflineProgress {
  rows: number;
  errors: number;
}

export interface OfflineOptions {
  /** Rows scored per model run. @default 1024 */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?(progress: OfflineProgress): void;
}
