/**
 * The caller-thread session of lone applicants (`EngineOptions.loneApplicantsInline`, decision 1613): the champion's
 * packed graph opened on the caller's own thread with the workers' options, run synchronously for an applicant that
 * arrives alone. It saves the two thread hand-offs of the worker path (each a sleeping thread woken, 40–50 µs on an
 * idle box) at the price of blocking the caller for one run (≈ 0.03 ms): for callers whose thread serves nobody else
 * (the CLI, the console backend's utilityProcess), never a server's event loop (ARCHITECTURE.md: the API runs
 * inference in worker_threads). Same graph bytes, same options, same ONNX Runtime: the same probabilities.
 */
import type { OutputSpec } from '../contract/index.ts';
import type { PackedSession } from './packed-session.ts';
import type { GraphOptimizationLevel } from './types.ts';
import type { PackedBatch } from './worker-pool.ts';
import type { InputLayout } from './worker-protocol.ts';

export interface InlineSession {
  /** Probabilities of a packed batch, computed on this thread. */
  run(batch: PackedBatch): Float64Array;
  release(): Promise<void>;
}

/**
 * Opens it for the CPU provider, or says why not (another provider, a graph that cannot be packed, a binding without
 * the native session): the engine then keeps the worker path and logs the reason.
 */
export async function openInlineSession(options: {
  modelFile: string;
  inputs: readonly InputLayout[];
  output: OutputSpec;
  provider: string;
  intraOpThreads: number;
  graphOptimizationLevel: GraphOptimizationLevel;
}): Promise<InlineSession | string> {
  if (options.provider !== 'cpu') return `the workers run on ${options.provider}, the caller thread only on cpu`;
  // Loaded here, not with the engine: a process that never asks for this keeps onnxruntime off its own thread.
  const { initialiseHere, openPackedSession, releasePacked, runNative, sessionOptionsFor } =
    await import('./packed-session.ts');
  const sessionOptions = sessionOptionsFor('cpu', options.intraOpThreads, options.graphOptimizationLevel);
  let packed: PackedSession;
  try {
    await initialiseHere(options.modelFile, sessionOptions);
    packed = await openPackedSession(options.modelFile, options.inputs, sessionOptions);
  } catch (error) {
    return `the packed graph cannot be opened here (${(error as Error).message.split('\n')[0]})`;
  }
  if (!packed.native) {
    await releasePacked(packed);
    return "onnxruntime-node's native session is not available";
  }
  const fetches = { [options.output.name]: null };
  return {
    run: (batch) => {
      const out = new Float64Array(batch.rows);
      runNative(packed, batch.rows, batch.buffer, options.output, fetches, out);
      return out;
    },
    release: () => releasePacked(packed),
  };
}
