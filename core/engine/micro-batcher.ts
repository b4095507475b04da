/**
 * Gathers concurrent single-applicant calls into batches for one model.
 *
 * A batch leaves when it is full (`maxBatchSize`); otherwise, when a worker is idle, at once for a lone applicant (a
 * single row pays no waiting; with the caller-thread session, inline-session.ts, a lone applicant is scored at once
 * on this thread, idle worker or not) or at the end of the current event-loop turn for several; when every
 * worker is busy it keeps filling until one frees up or `maxWaitMs` has passed since its first applicant.
 * Each call has its own deadline and abort signal; a batch lost with a dead worker is retried once, and a batch the
 * model fails on is bisected so only the applicants it cannot score fail.
 */
import type { Applicant } from '../contract/index.ts';
import type { ColumnPacker } from './column-packer.ts';
import { ModelCallError } from './errors.ts';
import type { InlineSession } from './inline-session.ts';
import type { StageTimings } from './types.ts';
import type { BatchOutcome, PackedBatch, WorkerPool } from './worker-pool.ts';

export interface RowAnswer {
  probability: number;
  queueMs: number;
  inferenceMs: number;
}

interface Request {
  applicant: Applicant;
  enqueuedAt: number;
  settled: boolean;
  timer: NodeJS.Timeout | null;
  resolve(answer: RowAnswer): void;
  reject(error: Error): void;
  cleanup: (() => void) | null;
}

export interface BatcherOptions {
  pool: WorkerPool;
  packer: ColumnPacker;
  /** When set, a lone applicant is scored on the caller's thread (inline-session.ts) instead of a worker. */
  inline: InlineSession | null;
  maxBatchSize: number;
  maxWaitMs: number;
  onBatch(size: number, queueMs: number, inferenceMs: number, stages: StageTimings): void;
  /** One call per batch outcome and per timed-out call: feeds the circuit breaker. */
  onOutcome(ok: boolean): void;
}

/** One lone applicant on the caller's thread: no hand-off, so no transfer or return time. */
function runInline(inline: InlineSession, packed: PackedBatch): BatchOutcome {
  const started = performance.now();
  let probabilities: Float64Array;
  try {
    probabilities = inline.run(packed);
  } catch (error) {
    throw new ModelCallError('MODEL_RUN_FAILED', `the model failed to run: ${(error as Error).message.split('\n')[0]}`);
  }
  return { probabilities, inferenceMs: performance.now() - started, transferMs: 0, returnMs: 0 };
}

export class MicroBatcher {
  private pending: Request[] = [];
  private inFlightRows = 0;
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** A microtask will decide whether a lone applicant is scored on this thread. */
  private soon = false;

  constructor(private readonly options: BatcherOptions) {}

  /** Applicants waiting or being scored. */
  depth(): number {
    return this.pending.length + this.inFlightRows;
  }

  submit(applicant: Applicant, deadlineMs: number, signal?: AbortSignal): Promise<RowAnswer> {
    return new Promise((resolve, reject) => {
      const request: Request = {
        applicant,
        enqueuedAt: performance.now(),
        settled: false,
        timer: null,
        resolve,
        reject,
        cleanup: null,
      };
      if (Number.isFinite(deadlineMs)) {
        request.timer = setTimeout(() => {
          if (
            this.settle(
              request,
              new ModelCallError('DEADLINE_EXCEEDED', `no answer within the ${deadlineMs} ms deadline`),
            )
          ) {
            this.options.onOutcome(false);
          }
        }, deadlineMs);
      }
      if (signal) {
        const onAbort = () => this.settle(request, new ModelCallError('ABORTED', 'the call was cancelled'));
        signal.addEventListener('abort', onAbort, { once: true });
        request.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending.push(request);
      this.schedule();
    });
  }

  /** A worker has nothing to do: send what is waiting now rather than at the wait timer. */
  workerIdle(): void {
    if (this.pending.length > 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.flush();
    }
  }

  /** Rejects everything still waiting (engine closing). */
  drain(error: Error): void {
    for (const request of this.pending.splice(0)) this.settle(request, error);
  }

  private schedule(): void {
    if (this.pending.length >= this.options.maxBatchSize) {
      this.flush();
      return;
    }
    if (this.immediate || this.timer || this.soon || this.pending.length === 0) return;
    // With the caller-thread session, an applicant still alone once the current code has run (a microtask later, not
    // a turn) is scored here; applicants submitted together in that code go to the workers as a batch.
    if (this.pending.length === 1 && this.options.inline) {
      this.soon = true;
      queueMicrotask(() => {
        this.soon = false;
        if (this.pending.length === 1) this.flush();
        else this.schedule();
      });
      return;
    }
    // A lone applicant and an idle worker: send it now. Waiting a turn to gather company is a batch's cost (the next
    // arrivals queue behind the busy workers and leave together when one frees up).
    if (this.pending.length === 1 && this.options.pool.hasIdleWorker()) this.flush();
    else if (this.options.pool.hasIdleWorker()) this.immediate = setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), this.options.maxWaitMs);
  }

  private flush(): void {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = null;
    this.timer = null;
    const batch: Request[] = [];
    while (batch.length < this.options.maxBatchSize && this.pending.length > 0) {
      const request = this.pending.shift()!;
      if (!request.settled) batch.push(request);
    }
    if (batch.length > 0) void this.run(batch);
    this.schedule();
  }

  private async run(batch: Request[]): Promise<void> {
    const error = await this.tryRun(batch);
    if (!error) return;
    const live = batch.filter((request) => !request.settled);
    if (error.code === 'MODEL_RUN_FAILED' && live.length > 1) await this.isolate(live, error);
    else this.fail(live, error);
  }

  /**
   * A batch the model failed on is split to find the applicants it cannot score, so one poison applicant does not
   * degrade the answers of the others (nor open the breaker on its own); when both halves fail, all of them fail.
   */
  private async isolate(requests: Request[], error: ModelCallError): Promise<void> {
    if (requests.length === 1) return this.fail(requests, error);
    const middle = requests.length >> 1;
    const halves = [requests.slice(0, middle), requests.slice(middle)];
    const errors = await Promise.all(halves.map((half) => this.tryRun(half)));
    if (errors[0] && errors[1]) return this.fail(requests, errors[0]);
    await Promise.all(halves.map((half, i) => (errors[i] ? this.isolate(half, errors[i]!) : null)));
  }

  /** Runs the still-unsettled requests (again once if the worker died) and answers them; returns the error otherwise. */
  private async tryRun(requests: Request[]): Promise<ModelCallError | null> {
    for (let attempt = 1; ; attempt += 1) {
      const live = requests.filter((request) => !request.settled);
      if (live.length === 0) return null;
      const dispatchedAt = performance.now();
      this.inFlightRows += live.length;
      try {
        const packed = this.options.packer.pack(live.map((request) => request.applicant));
        const packMs = performance.now() - dispatchedAt;
        const outcome =
          live.length === 1 && this.options.inline
            ? runInline(this.options.inline, packed)
            : await this.options.pool.run(packed);
        this.inFlightRows -= live.length;
        const queueMs = dispatchedAt - live[0]!.enqueuedAt;
        const { inferenceMs, transferMs, returnMs } = outcome;
        this.options.onBatch(live.length, queueMs, inferenceMs, { queueMs, packMs, transferMs, inferenceMs, returnMs });
        this.options.onOutcome(true);
        for (let i = 0; i < live.length; i += 1) {
          const request = live[i]!;
          this.settle(request, null, {
            probability: outcome.probabilities[i]!,
            queueMs: dispatchedAt - request.enqueuedAt,
            inferenceMs: outcome.inferenceMs,
          });
        }
        return null;
      } catch (error) {
        this.inFlightRows -= live.length;
        const failure =
          error instanceof ModelCallError ? error : new ModelCallError('MODEL_RUN_FAILED', (error as Error).message);
        if (failure.code === 'WORKER_DIED' && attempt === 1) continue;
        return failure;
      }
    }
  }

  private fail(requests: Request[], error: ModelCallError): void {
    const live = requests.filter((request) => !request.settled);
    if (live.length === 0) return;
    this.options.onOutcome(false);
    for (const request of live) this.settle(request, error);
  }

  /** Settles a call once; returns false when it was already settled. */
  private settle(request: Request, error: Error | null, answer?: RowAnswer): boolean {
    if (request.settled) return false;
    request.settled = true;
    if (request.timer) clearTimeout(request.timer);
    request.cleanup?.();
    if (error) {
      const index = this.pending.indexOf(request);
      if (index >= 0) this.pending.splice(index, 1);
      request.reject(error);
    } else {
      request.resolve(answer!);
    }
    return true;
  }
}
