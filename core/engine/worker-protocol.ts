/** Messages between the pool (main thread) and an inference worker. Only transferable typed arrays cross per batch. */
import type { OutputSpec } from '../contract/index.ts';
import type { GraphOptimizationLevel, ProviderSkip } from './types.ts';

/** How one graph input is packed: numbers as float32 (NaN = missing), categories as codes into a string table. */
export interface InputLayout {
  name: string;
  kind: 'float' | 'category';
  /** Its column among the inputs of its kind in the packed buffer. */
  column: number;
  /** Category strings; code 0 is the missing value "", code i + 1 is categories[i]. */
  categories?: string[];
}

export interface GraphValue {
  name: string;
  /** ONNX element type as onnxruntime reports it (float32, string, …), or "non-tensor". */
  type: string;
}

export type ToWorker =
  | {
      type: 'open';
      modelPath: string;
      providers: string[];
      intraOpThreads: number;
      graphOptimizationLevel: GraphOptimizationLevel;
      /** Int32Array over shared memory; 1 asks the worker to exit at its next safe point (see WorkerPool.terminate). */
      exitFlag: Int32Array;
    }
  | { type: 'exit_now' }
  | { type: 'close' }
  | { type: 'configure'; inputs: InputLayout[]; output: OutputSpec }
  /** `buffer`: a [rows, float inputs] float32 matrix, then a [rows, category inputs] uint16 matrix, row-major. */
  | { type: 'run'; id: number; rows: number; buffer: ArrayBuffer };

export type FromWorker =
  | {
      type: 'opened';
      provider: string;
      skipped: ProviderSkip[];
      inputs: GraphValue[];
      outputs: GraphValue[];
      loadMs: number;
    }
  | { type: 'open_failed'; message: string; skipped: ProviderSkip[] }
  /** `note`: why the worker feeds category strings instead of codes (code-fed-graph.ts), or null. */
  | { type: 'configured'; note: string | null }
  | {
      type: 'result';
      id: number;
      /** One number for a single row (nothing to transfer), else one per row. */
      probabilities: Float64Array | number;
      inferenceMs: number;
      /** `performance.timeOrigin + performance.now()` when the run message arrived and when the result left. */
      receivedAt: number;
      finishedAt: number;
    }
  | { type: 'run_failed'; id: number; message: string };
