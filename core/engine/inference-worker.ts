/**
 * One inference worker: owns one ONNX Runtime session, feeds the packed buffer to the packed graph (packed-graph.ts) as
 * two tensor views, runs it and sends back the probability of default per row (one number for one row). The run
 * blocks this thread, which is why it lives here.
 */
import { parentPort } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import type { OutputSpec } from '../contract/index.ts';
import {
  categoryTables,
  copyProbabilities,
  openPackedSession as openPacked,
  outputData,
  packedFeeds,
  releasePacked,
  sessionOptionsFor,
  type PackedSession,
} from './packed-session.ts';
import type { GraphOptimizationLevel, ProviderSkip } from './types.ts';
import type { FromWorker, InputLayout, ToWorker } from './worker-protocol.ts';

// onnxruntime logs failed kernels on stderr itself; the engine reports them once, with context, instead.
ort.env.logLevel = 'fatal';

let session: ort.InferenceSession | null = null;
/** The same graph fed with two packed tensors (packed-graph.ts), run natively or else through the public API. */
let packed: PackedSession | null = null;
let fetches: Record<string, null> = {};
let sessionOptions: ort.InferenceSession.SessionOptions = {};
let modelFile = '';
let inputs: InputLayout[] = [];
let floatCount = 0;
let categoryCount = 0;
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
      sessionOptions = sessionOptionsFor(provider, intraOpThreads, graphOptimizationLevel);
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

/**
 * Opens the packed variant of the graph (packed-graph.ts), natively when the binding allows (native-session.ts).
 * A failure only costs speed: the worker feeds the package's own graph one tensor per input and says why.
 */
async function openPackedSession(): Promise<string | null> {
  try {
    packed = await openPacked(modelFile, inputs, sessionOptions);
    return null;
  } catch (error) {
    packed = null;
    return `inputs are fed one tensor each (${firstLine(error)})`;
  }
}

type Feeds = Record<string, ort.Tensor>;

/** One [rows,1] tensor per input of the package's own graph (the fallback when the packed graph cannot be built). */
function inputFeeds(rows: number, floats: Float32Array, codes: Uint16Array): Feeds {
  const feeds: Feeds = {};
  for (let c = 0; c < inputs.length; c += 1) {
    const layout = inputs[c]!;
    if (layout.kind === 'float') {
      const column = new Float32Array(rows);
      for (let i = 0; i < rows; i += 1) column[i] = floats[i * floatCount + layout.column]!;
      feeds[layout.name] = new ort.Tensor('float32', column, [rows, 1]);
    } else {
      const table = tables[c]!;
      const strings = new Array<string>(rows);
      for (let i = 0; i < rows; i += 1) strings[i] = table[codes[i * categoryCount + layout.column]!] ?? '';
      feeds[layout.name] = new ort.Tensor('string', strings, [rows, 1]);
    }
  }
  return feeds;
}

const oneRow = new Float64Array(1);

async function run(id: number, rows: number, buffer: ArrayBuffer): Promise<void> {
  const started = performance.now();
  const receivedAt = performance.timeOrigin + started;
  try {
    if (!session || !output) throw new Error('the worker has no model configured');
    let data: unknown;
    // Only the output the package names: a graph may also compute labels or a map nobody reads.
    if (packed?.native) data = outputData(packed.native.run(packedFeeds(packed, rows, buffer), fetches), output);
    else if (packed?.public)
      data = outputData(await packed.public.run(packedFeeds(packed, rows, buffer), [output.name]), output);
    else {
      const floats = new Float32Array(buffer, 0, rows * floatCount);
      const codes = new Uint16Array(buffer, rows * floatCount * 4, rows * categoryCount);
      data = outputData(await session.run(inputFeeds(rows, floats, codes), [output.name]), output);
    }
    exitIfAsked();
    const finished = performance.now();
    const timing = { inferenceMs: finished - started, receivedAt, finishedAt: performance.timeOrigin + finished };
    if (rows === 1) {
      // One number goes back as it is: nothing to transfer.
      copyProbabilities(data, 1, oneRow, output);
      post({ type: 'result', id, probabilities: oneRow[0]!, ...timing });
    } else {
      const result = new Float64Array(rows);
      copyProbabilities(data, rows, result, output);
      post({ type: 'result', id, probabilities: result, ...timing }, [result.buffer as ArrayBuffer]);
    }
  } catch (error) {
    exitIfAsked();
    post({ type: 'run_failed', id, message: firstLine(error) });
  }
}

parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'open') {
    exitFlag = message.exitFlag;
    void open(message.modelPath, message.providers, message.intraOpThreads, message.graphOptimizationLevel);
  } else if (message.type === 'exit_now') {
    process.exit(1);
  } else if (message.type === 'close') {
    const closing = packed;
    packed = null;
    void Promise.all([session?.release(), releasePacked(closing)]).finally(() => parentPort!.close());
  } else if (message.type === 'configure') {
    inputs = message.inputs;
    floatCount = inputs.filter((layout) => layout.kind === 'float').length;
    categoryCount = inputs.length - floatCount;
    tables = categoryTables(inputs);
    output = message.output;
    fetches = { [output.name]: null };
    void openPackedSession().then((note) => post({ type: 'configured', note }));
  } else {
    void run(message.id, message.rows, message.buffer);
  }
});
