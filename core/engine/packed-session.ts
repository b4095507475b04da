/**
 * The packed graph's session (packed-graph.ts) and one run of it on a packed buffer: what an inference worker runs,
 * and what the caller-thread session of lone applicants runs (inline-session.ts), so both give the same bits. The graph
 * is opened on onnxruntime-node's native session when the binding allows (native-session.ts), else the public one.
 */
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import type { OutputSpec } from '../contract/index.ts';
import { openNativeSession, type NativeSession } from './native-session.ts';
import { PACKED_CODES, PACKED_FLOATS, packedGraph } from './packed-graph.ts';
import type { GraphOptimizationLevel } from './types.ts';
import type { InputLayout } from './worker-protocol.ts';

const FATAL_ONLY = 4;

/** The options of every session the engine opens on `provider`: workers and the caller-thread session alike. */
export function sessionOptionsFor(
  provider: string,
  intraOpThreads: number,
  graphOptimizationLevel: GraphOptimizationLevel,
): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    intraOpNumThreads: intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel,
    logSeverityLevel: FATAL_ONLY,
    // Spinning intra-op threads burn a core while waiting for work, stealing it from the event loop and the other
    // workers; batches are large enough that waking a sleeping thread costs nothing measurable.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

export interface PackedSession {
  /** Synchronous: the native session. */
  native: NativeSession | null;
  /** Asynchronous: the public session, when the native one could not be opened. */
  public: ort.InferenceSession | null;
  floatCount: number;
  categoryCount: number;
}

/**
 * Opens and closes the package's own graph on this thread: that initialises the binding the native session needs
 * (native-session.ts), and checks that the package opens here at all. onnxruntime's own stderr logging is turned off,
 * as in the workers.
 */
export async function initialiseHere(modelFile: string, options: ort.InferenceSession.SessionOptions): Promise<void> {
  ort.env.logLevel = 'fatal';
  const session = await ort.InferenceSession.create(modelFile, options);
  await session.release();
}

/** Category strings by code of each input (code 0 is the missing value ""). */
export function categoryTables(inputs: readonly InputLayout[]): string[][] {
  return inputs.map((layout) => ['', ...(layout.categories ?? [])]);
}

/** Derives the packed graph of `modelFile` and opens it; throws when the graph cannot be derived. */
export async function openPackedSession(
  modelFile: string,
  inputs: readonly InputLayout[],
  options: ort.InferenceSession.SessionOptions,
): Promise<PackedSession> {
  const tables = categoryTables(inputs);
  const floatNames = inputs.filter((layout) => layout.kind === 'float').map((layout) => layout.name);
  const categories = inputs
    .map((layout, c) => ({ name: layout.name, table: tables[c]!, kind: layout.kind }))
    .filter((input) => input.kind === 'category');
  const graph = packedGraph(readFileSync(modelFile), floatNames, categories);
  const native = openNativeSession(graph, options);
  return {
    native,
    public: native ? null : await ort.InferenceSession.create(graph, options),
    floatCount: floatNames.length,
    categoryCount: categories.length,
  };
}

type Feeds = Record<string, ort.Tensor>;

/** The two packed tensors, as views over the buffer (no copy). */
export function packedFeeds(session: PackedSession, rows: number, buffer: ArrayBuffer): Feeds {
  const { floatCount, categoryCount } = session;
  const feeds: Feeds = {};
  if (floatCount > 0)
    feeds[PACKED_FLOATS] = new ort.Tensor('float32', new Float32Array(buffer, 0, rows * floatCount), [
      rows,
      floatCount,
    ]);
  if (categoryCount > 0) {
    const codes = new Uint16Array(buffer, rows * floatCount * 4, rows * categoryCount);
    feeds[PACKED_CODES] = new ort.Tensor('uint16', codes, [rows, categoryCount]);
  }
  return feeds;
}

export function outputData(result: Record<string, { data: unknown } | undefined>, output: OutputSpec): unknown {
  const value = result[output.name];
  if (!value) throw new Error(`the graph produced no output named "${output.name}"`);
  return value.data;
}

/** Probability of default of each row from the graph's output values into `out`, checking type and length. */
export function copyProbabilities(data: unknown, rows: number, out: Float64Array, spec: OutputSpec): void {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new Error(`output "${spec.name}" is not a float tensor`);
  }
  if (spec.layout === '[N,2]') {
    if (data.length !== rows * 2)
      throw new Error(`output "${spec.name}" has ${data.length} values, expected ${rows * 2}`);
    for (let i = 0, j = spec.classIndex; i < rows; i += 1, j += 2) out[i] = data[j]!;
  } else {
    if (data.length !== rows) throw new Error(`output "${spec.name}" has ${data.length} values, expected ${rows}`);
    out.set(data);
  }
}

/** Runs the native session on a packed buffer and writes the rows' probabilities into `out`. */
export function runNative(
  session: PackedSession,
  rows: number,
  buffer: ArrayBuffer,
  output: OutputSpec,
  fetches: Record<string, null>,
  out: Float64Array,
): void {
  const data = outputData(session.native!.run(packedFeeds(session, rows, buffer), fetches), output);
  copyProbabilities(data, rows, out, output);
}

export async function releasePacked(session: PackedSession | null): Promise<void> {
  session?.native?.release();
  await session?.public?.release();
}
