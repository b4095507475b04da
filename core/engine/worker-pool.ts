/**
 * A fixed pool of inference workers for one model. Batches go to the least-busy live worker; a worker that dies is
 * replaced and every batch it held is rejected with WORKER_DIED (the caller decides whether to retry), never left hanging.
 */
import type { Worker } from 'node:worker_threads';
import type { OutputSpec } from '../contract/index.ts';
import { spawnWorker } from '../runtime/index.ts';
import { ModelCallError } from './errors.ts';
import type { GraphOptimizationLevel, ProviderSkip } from './types.ts';
import type { FromWorker, GraphValue, InputLayout, ToWorker } from './worker-protocol.ts';

export interface PackedBatch {
  rows: number;
  buffer: ArrayBuffer;
}

export interface BatchOutcome {
  probabilities: Float64Array;
  inferenceMs: number;
  /** Posting to the worker → the worker starting it, and the worker posting → the pool receiving (shared clock). */
  transferMs: number;
  returnMs: number;
}

export interface OpenedModel {
  provider: string;
  skipped: ProviderSkip[];
  inputs: GraphValue[];
  outputs: GraphValue[];
  loadMs: number;
}

interface Pending {
  resolve(outcome: BatchOutcome): void;
  reject(error: Error): void;
  sentAt?: number;
}

interface Slot {
  index: number;
  worker: Worker | null;
  exitFlag: Int32Array;
  live: boolean;
  inFlight: Map<number, Pending>;
  /** Pending reply to `open` / `configure` while the worker starts. */
  waiter: { resolve(message: FromWorker): void; reject(error: Error): void } | null;
}

export interface PoolOptions {
  size: number;
  modelPath: string;
  intraOpThreads: number;
  graphOptimizationLevel: GraphOptimizationLevel;
  providers: string[];
  log: (message: string) => void;
  onWorkerExit: (index: number, reason: string) => void;
  /** Called whenever a worker has nothing in flight, so a batcher can dispatch what it holds. */
  onIdle: () => void;
}

const WORKER_ENTRY = new URL('./inference-worker.ts', import.meta.url);
const CLOSE_WAIT_MS = 10_000;

export class WorkerPool {
  private readonly slots: Slot[];
  private nextId = 1;
  private closed = false;
  private configuration: { inputs: InputLayout[]; output: OutputSpec } | null = null;
  private providers: string[];
  /** Batches waiting for a live worker (all of them starting after crashes). */
  private readonly waiting: Array<{ batch: PackedBatch; pending: Pending }> = [];
  restarts = 0;

  constructor(private readonly options: PoolOptions) {
    this.providers = options.providers;
    this.slots = Array.from({ length: options.size }, (_, index) => ({
      index,
      worker: null,
      exitFlag: new Int32Array(new SharedArrayBuffer(4)),
      live: false,
      inFlight: new Map(),
      waiter: null,
    }));
  }

  /** Opens the model in the first worker (which picks the provider), then in the others with that provider. */
  async open(): Promise<OpenedModel> {
    const first = await this.openSlot(this.slots[0]!, this.providers);
    this.providers = [first.provider];
    await Promise.all(this.slots.slice(1).map((slot) => this.openSlot(slot, this.providers)));
    return first;
  }

  /** Sends the input layout and output spec to every worker; they are live from then on. */
  async configure(inputs: InputLayout[], output: OutputSpec): Promise<void> {
    this.configuration = { inputs, output };
    await Promise.all(this.slots.map((slot) => this.configureSlot(slot)));
  }

  get size(): number {
    return this.slots.length;
  }

  hasIdleWorker(): boolean {
    return this.slots.some((slot) => slot.live && slot.inFlight.size === 0);
  }

  liveWorkers(): number {
    return this.slots.filter((slot) => slot.live).length;
  }

  run(batch: PackedBatch): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new ModelCallError('WORKER_DIED', 'the worker pool is closed'));
      const pending = { resolve, reject };
      if (!this.dispatch(batch, pending)) {
        if (!this.slots.some((slot) => slot.worker !== null)) {
          return reject(new ModelCallError('WORKER_DIED', 'no inference worker is alive'));
        }
        this.waiting.push({ batch, pending });
      }
    });
  }

  /** Runs one batch on one given worker (warm-up of every worker). */
  runOn(index: number, batch: PackedBatch): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      const slot = this.slots[index];
      if (!slot?.live) return reject(new ModelCallError('WORKER_DIED', `worker ${index} is not alive`));
      this.send(slot, batch, { resolve, reject });
    });
  }

  /**
   * Makes a worker exit as a crash would: at once when idle, otherwise right after its current native run, losing
   * that batch. `worker.terminate()` is never used on a busy worker: it aborts the process inside onnxruntime.
   */
  async terminate(index: number): Promise<void> {
    const slot = this.slots[index];
    const worker = slot?.worker;
    if (!slot || !worker) throw new RangeError(`there is no live worker ${index} (pool of ${this.slots.length})`);
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    Atomics.store(slot.exitFlag, 0, 1);
    if (slot.inFlight.size === 0) worker.postMessage({ type: 'exit_now' } satisfies ToWorker);
    await exited;
  }

  /** Rejects queued and in-flight batches, then lets each worker finish its current run and exit. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { pending } of this.waiting.splice(0)) {
      pending.reject(new ModelCallError('WORKER_DIED', 'the engine closed'));
    }
    await Promise.all(
      this.slots.map(async (slot) => {
        const worker = slot.worker;
        slot.worker = null;
        slot.live = false;
        slot.waiter?.reject(new Error('the engine closed'));
        slot.waiter = null;
        this.failInFlight(slot, 'the engine closed');
        if (worker) await this.stopGently(worker);
      }),
    );
  }

  /** A worker stuck in a very long run is left to finish on its own rather than aborting the process. */
  private async stopGently(worker: Worker): Promise<void> {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ type: 'close' } satisfies ToWorker);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
    });
    await Promise.race([exited, gaveUp]);
    clearTimeout(timer);
    worker.unref();
  }

  private dispatch(batch: PackedBatch, pending: Pending): boolean {
    let best: Slot | null = null;
    for (const slot of this.slots) {
      if (slot.live && (best === null || slot.inFlight.size < best.inFlight.size)) best = slot;
    }
    if (!best) return false;
    this.send(best, batch, pending);
    return true;
  }

  private send(slot: Slot, batch: PackedBatch, pending: Pending): void {
    const id = this.nextId++;
    slot.inFlight.set(id, pending);
    pending.sentAt = performance.timeOrigin + performance.now();
    const message: ToWorker = { type: 'run', id, rows: batch.rows, buffer: batch.buffer };
    slot.worker!.postMessage(message, [batch.buffer]);
  }

  private spawn(slot: Slot): Worker {
    const worker = spawnWorker(WORKER_ENTRY);
    slot.exitFlag = new Int32Array(new SharedArrayBuffer(4));
    slot.worker = worker;
    worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
    worker.on('error', (error) => this.onExit(slot, worker, `crashed: ${error.message}`));
    worker.on('exit', (code) => this.onExit(slot, worker, `exited with code ${code}`));
    return worker;
  }

  private request(slot: Slot, message: ToWorker): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      slot.waiter = { resolve, reject };
      slot.worker!.postMessage(message);
    });
  }

  private async openSlot(slot: Slot, providers: string[]): Promise<OpenedModel> {
    this.spawn(slot);
    const reply = await this.request(slot, {
      type: 'open',
      modelPath: this.options.modelPath,
      providers,
      intraOpThreads: this.options.intraOpThreads,
      graphOptimizationLevel: this.options.graphOptimizationLevel,
      exitFlag: slot.exitFlag,
    });
    if (reply.type === 'open_failed') {
      const error = new Error(reply.message) as Error & { skipped?: ProviderSkip[] };
      error.skipped = reply.skipped;
      throw error;
    }
    if (reply.type !== 'opened') throw new Error(`unexpected reply ${reply.type} from an inference worker`);
    const { provider, skipped, inputs, outputs, loadMs } = reply;
    return { provider, skipped, inputs, outputs, loadMs };
  }

  private async configureSlot(slot: Slot): Promise<void> {
    const { inputs, output } = this.configuration!;
    const reply = await this.request(slot, { type: 'configure', inputs, output });
    if (reply.type === 'configured' && reply.note && slot.index === 0) this.options.log(reply.note);
    slot.live = true;
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    if (message.type === 'result' || message.type === 'run_failed') {
      const pending = slot.inFlight.get(message.id);
      if (!pending) return;
      slot.inFlight.delete(message.id);
      if (message.type === 'result') {
        const { probabilities, inferenceMs, receivedAt, finishedAt } = message;
        const transferMs = Math.max(0, receivedAt - (pending.sentAt ?? receivedAt));
        const returnMs = Math.max(0, performance.timeOrigin + performance.now() - finishedAt);
        const values = typeof probabilities === 'number' ? Float64Array.of(probabilities) : probabilities;
        pending.resolve({ probabilities: values, inferenceMs, transferMs, returnMs });
      } else pending.reject(new ModelCallError('MODEL_RUN_FAILED', `the model failed to run: ${message.message}`));
      if (slot.inFlight.size === 0) this.options.onIdle();
      return;
    }
    const waiter = slot.waiter;
    slot.waiter = null;
    waiter?.resolve(message);
  }

  private failInFlight(slot: Slot, reason: string): void {
    const pendings = [...slot.inFlight.values()];
    slot.inFlight.clear();
    for (const pending of pendings)
      pending.reject(new ModelCallError('WORKER_DIED', `inference worker ${slot.index} ${reason}`));
  }

  private onExit(slot: Slot, worker: Worker, reason: string): void {
    if (slot.worker !== worker) return;
    const wasLive = slot.live;
    slot.worker = null;
    slot.live = false;
    const waiter = slot.waiter;
    slot.waiter = null;
    waiter?.reject(new Error(`inference worker ${slot.index} ${reason}`));
    this.failInFlight(slot, reason);
    // A worker that dies while starting fails its own start-up; only a live worker that dies is replaced here.
    if (this.closed || !wasLive) return;
    this.options.onWorkerExit(slot.index, reason);
    this.options.log(`inference worker ${slot.index} ${reason}; starting a replacement`);
    void this.replace(slot);
  }

  private async replace(slot: Slot): Promise<void> {
    try {
      this.restarts += 1;
      await this.openSlot(slot, this.providers);
      await this.configureSlot(slot);
      if (this.closed) {
        if (slot.worker) await this.stopGently(slot.worker);
        return;
      }
      while (this.waiting.length > 0 && this.dispatch(this.waiting[0]!.batch, this.waiting[0]!.pending))
        this.waiting.shift();
      this.options.onIdle();
    } catch (error) {
      this.options.log(`inference worker ${slot.index} could not be replaced: ${(error as Error).message}`);
      if (!this.slots.some((other) => other.worker !== null)) {
        for (const { pending } of this.waiting.splice(0)) {
          pending.reject(new ModelCallError('WORKER_DIED', 'no inference worker is alive'));
        }
      }
    }
  }
}
