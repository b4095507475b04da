/**
 * What a profiling run asks for and what it measures (docs/profiling.md). The JSON row shape is the CLI's too.
 * Types only, importing nothing: the console API's wire types reuse them in the renderer.
 */

/** ONNX Runtime's graph optimisation levels (the engine's GraphOptimizationLevel). */
export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface AccuracyFigures {
  rows: number;
  roc_auc: number;
  approval_rate: number;
  /** field → value → {rows, roc_auc, approval_rate} */
  segments: Record<string, Record<string, { rows: number; roc_auc: number | null; approval_rate: number }>>;
}

export interface ProfileRequest {
  /** Folder holding registry.json and the packages. */
  modelsDir: string;
  /** Aliases, versions or package directories, e.g. ['champion', '3']. */
  models: string[];
  /** Execution providers by onnxruntime name: cpu, webgpu, cuda, dml, coreml… */
  providers: string[];
  batchSizes: number[];
  /** Inference worker threads, one cell per entry. */
  workers: number[];
  /** ONNX Runtime graph optimisation levels, one cell per entry. @default ['all'] */
  graphOptimizationLevels?: GraphOptimizationLevel[];
  /** ONNX Runtime intra-op threads per worker; undefined: cores / workers, as the engine does. */
  intraOpThreads?: number;
  /** Seconds spent measuring each batch size. @default 1 */
  durationS?: number;
  /** Prices used to turn measured CPU (and device) seconds into money. */
  prices?: Prices;
}

export interface Prices {
  /** Price of one CPU core for one hour. @default 0.04 */
  coreHour: number;
  /** Price of one GPU for one hour, charged on wall time while a GPU provider serves. @default 2.5 */
  gpuHour: number;
  /** Currency label only. @default 'USD' */
  currency: string;
}

export const DEFAULT_PRICES: Prices = Object.freeze({ coreHour: 0.04, gpuHour: 2.5, currency: 'USD' });

/** One (model, provider, workers, batch) cell. `status` is `ok` or, in words, why it could not run. */
export interface ProfileRow {
  model: string;
  /** The reference as asked (alias or version), and the version it resolved to. */
  ref: string;
  version: string;
  kind: string;
  provider: string;
  workers: number;
  intra_op_threads: number;
  graph_optimization: GraphOptimizationLevel;
  batch_size: number;
  status: string;
  rows_per_s: number | null;
  rows_per_cpu_s: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  calls: number;
  /** Session creation in the first worker, and the rest of start-up (other workers, checks, warm-up). */
  load_ms: number | null;
  warmup_ms: number | null;
  rss_mb: number | null;
  /** Max |probability − golden.jsonl's expected_probability| over the package's golden applicants. */
  parity_max_abs_diff: number | null;
  parity_rows: number;
  cost_per_1000: number | null;
}

/** Mean share of a micro-batch's wall time by stage, measured with 64 single applicants in flight. */
export interface StageSplit {
  model: string;
  version: string;
  provider: string;
  workers: number;
  graph_optimization: GraphOptimizationLevel;
  batches: number;
  mean_batch: number;
  /** Mean milliseconds per batch by stage. */
  queue_ms: number;
  pack_ms: number;
  transfer_ms: number;
  inference_ms: number;
  return_ms: number;
}

export interface MachineInfo {
  cpu_model: string;
  cores: number;
  memory_gb: number;
  load_average: [number, number, number];
  platform: string;
  node: string;
  onnxruntime: string;
  hostname: string;
}

export interface ProviderInfo {
  name: string;
  /** Offered by this onnxruntime-node build (listSupportedBackends). */
  offered: boolean;
  /** Ships inside the npm package; false: needs libraries installed on the machine (CUDA, TensorRT). */
  bundled: boolean;
}

export interface ProfileProgress {
  fraction: number;
  message: string;
  cellsDone: number;
  cellsTotal: number;
}

export interface ProfileResult {
  machine: MachineInfo;
  request: Omit<ProfileRequest, 'modelsDir'>;
  prices: Prices;
  startedAt: string;
  finishedAt: string;
  rows: ProfileRow[];
  stages: StageSplit[];
  /** AUC and approval rates on the labelled reference sample, per loaded configuration. */
  accuracy: CellAccuracy[];
}

export interface CellAccuracy extends AccuracyFigures {
  ref: string;
  version: string;
  provider: string;
  workers: number;
  graph_optimization: GraphOptimizationLevel;
}
