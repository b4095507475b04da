/**
 * One inference worker: owns one ONNX Runtime session, turns packed columns into tensors, runs the graph and sends back
 * the probability of default per row. `session.run()` blocks this thread, which is why it lives here.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import type { OutputSpec } from '../contract/index.ts';
import { CODE_SUFFIX, codeFedGraph } from './code-fed-graph.ts';
import type { GraphOptimizationLevel, ProviderSkip } from './types.ts';
import type { FromWorker, InputLayout, ToWorker } from './worker-protocol.ts';

// onnxruntime logs failed kernels on stderr itself; the engine reports them once, with context, instead.
const FATAL_ONLY = 4;
ort.env.logLevel = 'fatal';

let session: ort.InferenceSession | null = null;
/** The same graph fed with category codes (code-fed-graph.ts), used for batches; null when it could not be built. */
let codeSession: ort.InferenceSession | null = null;
let sessionOptions: ort.InferenceSession.SessionOptions = {};
let modelFile = '';
let inputs: InputLayout[] = [];
let floatCount = 0;
let tables: string[][] = [];
let output: OutputSpec | null = null;
let exitFlag: Int32Array | null = null;

/**
 * Exits as a crashed worker would. Only ever called between runs: terminating a thread inside a native
 * `session.run()` aborts the whole process, so the pool asks through shared memory instead of `worker.terminate()`.
 */
function exitIfAsked(): void {
  if (exitFlag && Atomics.load(exitFlag, 0) === 1) process.exit(1);
}

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 500);
}

function supportedBackends(): Set<string> {
  try {
    return new Set(ort.listSupportedBackends().map((backend) => backend.name));
  } catch {
    return new Set(['cpu']);
  }
}

async function open(
  modelPath: string,
  providers: string[],
  intraOpThreads: number,
  graphOptimizationLevel: GraphOptimizationLevel,
): Promise<void> {
  const skipped: ProviderSkip[] = [];
  const available = supportedBackends();
  const started = performance.now();
  let lastError = 'no execution provider was tried';
  for (const provider of providers) {
    if (!available.has(provider)) {
      skipped.push({
        provider,
        reason: `not available in this onnxruntime-node build (${process.platform}/${process.arch})`,
      });
      continue;
    }
    try {
      sessionOptions = {
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
      session = await ort.InferenceSession.create(modelPath, sessionOptions);
      modelFile = modelPath;
      const describe = (values: readonly ort.InferenceSession.ValueMetadata[]) =>
        values.map((value) => ({ name: value.name, type: value.isTensor ? String(value.type) : 'non-tensor' }));
      post({
        type: 'opened',
        provider,
        skipped,
        inputs: describe(session.inputMetadata),
        outputs: describe(session.outputMetadata),
        loadMs: performance.now() - started,
      });
      return;
    } catch (error) {
      lastError = firstLine(error);
      skipped.push({ provider, reason: `session creation failed: ${lastError}` });
    }
  }
  post({ type: 'open_failed', message: lastError, skipped });
}

function probabilities(result: ort.InferenceSession.OnnxValueMapType, rows: number): Float64Array {
  const spec = output!;
  const tensor = result[spec.name] as ort.Tensor | undefined;
  if (!tensor) throw new Error(`the graph produced no output named "${spec.name}"`);
  const data = tensor.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new Error(`output "${spec.name}" has type ${tensor.type}, expected float`);
  }
  const out = new Float64Array(rows);
  if (spec.layout === '[N,2]') {
    if (data.length !== rows * 2)
      throw new Error(`output "${spec.name}" has shape [${tensor.dims.join(',')}], expected [${rows},2]`);
    for (let i = 0, j = spec.classIndex; i < rows; i += 1, j += 2) out[i] = data[j]!;
  } else {
    if (data.length !== rows)
      throw new Error(`output "${spec.name}" has shape [${tensor.dims.join(',')}], expected [${rows}]`);
    out.set(data);
  }
  return out;
}

/**
 * Opens the code-fed variant of the graph beside the string-fed one. A failure only costs speed: the worker keeps
 * feeding strings and says why.
 */
async function openCodeSession(): Promise<string | null> {
  const categories = inputs
    .map((layout, c) => ({ name: layout.name, table: tables[c]!, kind: layout.kind }))
    .filter((input) => input.kind === 'category');
  if (categories.length === 0) return null;
  try {
    codeSession = await ort.InferenceSession.create(codeFedGraph(readFileSync(modelFile), categories), sessionOptions);
    return null;
  } catch (error) {
    codeSession = null;
    return `category inputs are fed as strings (${firstLine(error)})`;
  }
}

/**
 * Up to this many rows, strings cost less than the two extra nodes per category input of the code-fed graph
 * (measured: the code-fed graph wins from 2–4 rows on, by 35 % of CPU at 4096 rows).
 */
const STRING_FEED_MAX_ROWS = 2;

type Feeds = Record<string, ort.Tensor>;

function batchFeeds(target: ort.InferenceSession, rows: number, floats: Float32Array, codes: Uint16Array): Feeds {
  const feeds: Feeds = {};
  for (let c = 0; c < inputs.length; c += 1) {
    const layout = inputs[c]!;
    const offset = layout.column * rows;
    if (layout.kind === 'float') {
      feeds[layout.name] = new ort.Tensor('float32', floats.subarray(offset, offset + rows), [rows, 1]);
    } else if (target === codeSession) {
      feeds[layout.name + CODE_SUFFIX] = new ort.Tensor('uint16', codes.subarray(offset, offset + rows), [rows, 1]);
    } else {
      const table = tables[c]!;
      const strings = new Array<string>(rows);
      for (let i = 0; i < rows; i += 1) strings[i] = table[codes[offset + i]!] ?? '';
      feeds[layout.name] = new ort.Tensor('string', strings, [rows, 1]);
    }
  }
  return feeds;
}

/**
 * One-row feeds whose tensors are built once and refilled: 27 tensor objects cost more than the run of one row.
 * onnxruntime reads a feed when the run starts, after a turn of the event loop, so each run in flight has its own set.
 */
interface RowFeeds {
  feeds: Feeds;
  floats: Float32Array;
  strings: string[][];
}
const spareRowFeeds: RowFeeds[] = [];

function rowFeeds(floats: Float32Array, codes: Uint16Array): RowFeeds {
  let row = spareRowFeeds.pop();
  if (!row) {
    const fresh: RowFeeds = { feeds: {}, floats: new Float32Array(floatCount), strings: [] };
    for (const layout of inputs) {
      if (layout.kind === 'float') {
        const cell = fresh.floats.subarray(layout.column, layout.column + 1);
        fresh.feeds[layout.name] = new ort.Tensor('float32', cell, [1, 1]);
      } else {
        const cell = [''];
        fresh.strings[layout.column] = cell;
        fresh.feeds[layout.name] = new ort.Tensor('string', cell, [1, 1]);
      }
    }
    row = fresh;
  }
  row.floats.set(floats);
  for (let c = 0; c < inputs.length; c += 1) {
    const layout = inputs[c]!;
    if (layout.kind === 'category') row.strings[layout.column]![0] = tables[c]![codes[layout.column]!] ?? '';
  }
  return row;
}

async function run(id: number, rows: number, buffer: ArrayBuffer): Promise<void> {
  const started = performance.now();
  const receivedAt = performance.timeOrigin + started;
  let row: RowFeeds | null = null;
  try {
    if (!session || !output) throw new Error('the worker has no model configured');
    const floats = new Float32Array(buffer, 0, rows * floatCount);
    const codes = new Uint16Array(buffer, rows * floatCount * 4, rows * (inputs.length - floatCount));
    const target = codeSession && rows > STRING_FEED_MAX_ROWS ? codeSession : session;
    if (rows === 1) row = rowFeeds(floats, codes);
    const feeds = row ? row.feeds : batchFeeds(target, rows, floats, codes);
    // Only the output the package names: a graph may also compute labels or a map nobody reads.
    const result = probabilities(await target.run(feeds, [output.name]), rows);
    exitIfAsked();
    const finished = performance.now();
    const timing = { inferenceMs: finished - started, receivedAt, finishedAt: performance.timeOrigin + finished };
    post({ type: 'result', id, probabilities: result, ...timing }, [result.buffer as ArrayBuffer]);
  } catch (error) {
    exitIfAsked();
    post({ type: 'run_failed', id, message: firstLine(error) });
  } finally {
    if (row) spareRowFeeds.push(row);
  }
}

parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'open') {
    exitFlag = message.exitFlag;
    void open(message.modelPath, message.providers, message.intraOpThreads, message.graphOptimizationLevel);
  } else if (message.type === 'exit_now') {
    process.exit(1);
  } else if (message.type === 'close') {
    void Promise.all([session?.release(), codeSession?.release()]).finally(() => parentPort!.close());
  } else if (message.type === 'configure') {
    inputs = message.inputs;
    floatCount = inputs.filter((layout) => layout.kind === 'float').length;
    tables = inputs.map((layout) => ['', ...(layout.categories ?? [])]);
    output = message.output;
    void openCodeSession().then((note) => post({ type: 'configured', note }));
  } else {
    void run(message.id, message.rows, message.buffer);
  }
});
