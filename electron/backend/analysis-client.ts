/**
 * Sends analysis requests to two worker threads, started on first use and stopped with the backend:
 * - the interactive lane answers the Drift page from hourly sketches and counts missing sketches in the background;
 * - the background lane runs the raw analyses (KS and Wasserstein, exact reports, anomalies), which take seconds on
 *   a million records.
 * A Drift page request therefore never waits behind a raw analysis.
 */
import type { Worker } from 'node:worker_threads';
import type { AnomalyAnalysis, StoredPeriodAnalysis } from '../../core/analysis/index.ts';
import { spawnWorker } from '../../core/runtime/index.ts';
import { ConsoleError, isConsoleErrorCode } from '../../console-api/errors.ts';
import type { AnalysisMessage } from './analysis-worker.ts';
import type { AnomaliesRequest, CompleteRequest, PeriodRequest, SketchBuildRequest } from './period-analyses.ts';

type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;
type Reply = { id: number; analysis?: unknown; error?: { code: string; message: string } };

class Lane {
  private worker: Worker | null = null;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (a: unknown) => void; reject: (e: Error) => void }>();

  private start(): Worker {
    const worker = spawnWorker(new URL('./analysis-worker.ts', import.meta.url));
    worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiter) return;
      if (reply.analysis) waiter.resolve(reply.analysis);
      else {
        const code = reply.error && isConsoleErrorCode(reply.error.code) ? reply.error.code : 'INTERNAL';
        const error = new ConsoleError(code);
        error.message = reply.error?.message ?? error.message;
        waiter.reject(error);
      }
    });
    const fail = (reason: string) => {
      for (const waiter of this.pending.values()) waiter.reject(new ConsoleError('INTERNAL', reason));
      this.pending.clear();
      this.worker = null;
    };
    worker.on('error', (error) => fail(`the analysis worker failed: ${error.message}`));
    worker.on('exit', (code) => fail(`the analysis worker exited with code ${code}`));
    worker.unref();
    return worker;
  }

  ask(message: Unsent<AnalysisMessage>): Promise<unknown> {
    this.worker ??= this.start();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ ...message, id });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}

export class AnalysisClient {
  private readonly interactive = new Lane();
  private readonly background = new Lane();

  /**
   * core's analyseStoredPeriod of one period: the sketch lane (milliseconds, KS and Wasserstein pending) on the
   * interactive lane, the exact analysis (every method, every record) on the background lane.
   */
  period(request: PeriodRequest): Promise<StoredPeriodAnalysis> {
    const lane = request.lane === 'sketch' && !request.reference ? this.interactive : this.background;
    return lane.ask({ kind: 'period', request }) as Promise<StoredPeriodAnalysis>;
  }

  /** Fills in a sketch-lane analysis's KS and Wasserstein from raw records, on the background lane. */
  complete(request: CompleteRequest): Promise<StoredPeriodAnalysis> {
    return this.background.ask({ kind: 'complete', request }) as Promise<StoredPeriodAnalysis>;
  }

  anomalies(request: AnomaliesRequest): Promise<AnomalyAnalysis> {
    return this.background.ask({ kind: 'anomalies', request }) as Promise<AnomalyAnalysis>;
  }

  /** Counts the store's hours that lack a sketch, a few at a time, behind any interactive request. */
  buildSketches(request: SketchBuildRequest): Promise<{ counted: number }> {
    return this.interactive.ask({ kind: 'sketch-build', request }) as Promise<{ counted: number }>;
  }

  async close(): Promise<void> {
    await Promise.all([this.interactive.close(), this.background.close()]);
  }
}
