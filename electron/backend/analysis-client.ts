/** Sends drift and anomaly requests to the analysis worker, started on first use and stopped with the backend. */
import type { Worker } from 'node:worker_threads';
import type { AnomalyAnalysis, DriftAnalysis } from '../../core/analysis/index.ts';
import { spawnWorker } from '../../core/runtime/index.ts';
import { ConsoleError, isConsoleErrorCode } from './api/errors.ts';
import type { AnomaliesRequest, DriftRequest } from './analyser.ts';

type Reply = { id: number; analysis?: unknown; error?: { code: string; message: string } };

export class AnalysisClient {
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

  drift(request: DriftRequest): Promise<DriftAnalysis> {
    return this.ask('drift', request) as Promise<DriftAnalysis>;
  }

  anomalies(request: AnomaliesRequest): Promise<AnomalyAnalysis> {
    return this.ask('anomalies', request) as Promise<AnomalyAnalysis>;
  }

  private ask(kind: 'drift' | 'anomalies', request: DriftRequest | AnomaliesRequest): Promise<unknown> {
    this.worker ??= this.start();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, kind, request });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
