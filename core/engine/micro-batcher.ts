/**
 * Gathers concurrent single-applicant calls into batches for one model.
 *
 * A batch leaves when it is full (`maxBatchSize`); otherwise, when a worker is idle, at the end of the current
 * event-loop turn (so applicants that arrived together share a run and a lone request pays no waiting); when every
 * worker is busy it keeps filling until one frees up or `maxWaitMs` has passed since its first applicant.
 * Each call has its own deadline and abort signal; a batch lost with a dead worker is retried once.
 */
import type { Applicant } from '../contract/index.ts';
import type { ColumnPacker } from './column-packer.ts';
import { ModelCallError } from './errors.ts';
import type { WorkerPool } from './worker-pool.ts';

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
  maxBatchSize: number;
  maxWaitMs: number;
  onBatch(size: number, queueMs: number, inferenceMs: number): void;
  /** One call per batch outcome and per timed-out call: feeds the circuit breaker. */
  onOutcome(ok: boolean): void;
}

export class MicroBatcher {
  private pending: Request[] = [];
  private inFlightRows = 0;
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;

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
    if (this.immediate || this.timer || this.pending.length === 0) return;
    if (this.options.pool.hasIdleWorker()) this.immediate = setImmediate(() => this.flush());
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
    if (batch.length > 0) void this.run(batch, 1);
    this.schedule();
  }

  private async run(batch: Request[], attempt: number): Promise<void> {
    const live = batch.filter((request) => !request.settled);
    if (live.length === 0) return;
    const dispatchedAt = performance.now();
    this.inFlightRows += live.length;
    try {
      const packed = this.options.packer.pack(live.map((request) => request.applicant));
      const outcome = await this.options.pool.run(packed);
      this.inFlightRows -= live.length;
      const queueMs = dispatchedAt - live[0]!.enqueuedAt;
      this.options.onBatch(live.length, queueMs, outcome.inferenceMs);
      this.options.onOutcome(true);
      for (let i = 0; i < live.length; i += 1) {
        const request = live[i]!;
        this.settle(request, null, {
          probability: outcome.probabilities[i]!,
          queueMs: dispatchedAt - request.enqueuedAt,
          inferenceMs: outcome.inferenceMs,
        });
      }
    } catch (error) {
      this.inFlightRows -= live.length;
      if (error instanceof ModelCallError && error.code === 'WORKER_DIED' && attempt === 1) {
        await this.run(live, 2);
        return;
      }
      this.options.onOutcome(false);
      const failure =
        error instanceof ModelCallError ? error : new ModelCallError('MODEL_RUN_FAILED', (error as Error).message);
      for (const request of live) this.settle(request, failure);
    }
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
