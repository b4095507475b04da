/**
 * readLogBatches on a worker thread: reading and parsing a file overlaps with writing the previous batch to SQLite
 * on the calling thread, which roughly splits the work of an import between two cores. One worker serves every file
 * of a run (starting one costs a few hundred milliseconds).
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../runtime/index.ts';
import type { LogBatch, ReadOptions } from './log-batches.ts';
import type { ReadRequest, ReadWorkerMessage } from './read-worker.ts';

export class WorkerReader {
  private worker: Worker | null = null;
  private readonly queue: ReadWorkerMessage[] = [];
  private notify: (() => void) | null = null;

  private start(): Worker {
    if (this.worker) return this.worker;
    // A small old generation makes the reader collect its garbage early: its batches are handed over, not kept.
    const worker = spawnWorker(new URL('./read-worker.ts', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 48 },
    });
    const push = (message: ReadWorkerMessage): void => {
      this.queue.push(message);
      this.notify?.();
      this.notify = null;
    };
    worker.on('message', push);
    worker.on('error', (error: Error) => push({ type: 'error', message: error.message }));
    worker.on('exit', (code) => {
      if (this.worker === worker) {
        this.worker = null;
        push({ type: 'error', message: `the file reader thread stopped (exit code ${code})` });
      }
    });
    this.worker = worker;
    return worker;
  }

  /** The batches of one file; breaking out of the loop stops the worker (the next read starts a new one). */
  async *read(path: string, options: ReadOptions = {}): AsyncGenerator<LogBatch> {
    const worker = this.start();
    this.queue.length = 0;
    worker.postMessage({ type: 'read', path, options } satisfies ReadRequest);
    let finished = false;
    try {
      for (;;) {
        while (this.queue.length === 0) await new Promise<void>((resolve) => (this.notify = resolve));
        const message = this.queue.shift()!;
        if (message.type === 'done') {
          finished = true;
          return;
        }
        if (message.type === 'error') {
          finished = true;
          throw new Error(message.message);
        }
        yield message.batch;
        worker.postMessage({ type: 'ack' } satisfies ReadRequest);
      }
    } finally {
      if (!finished) await this.close();
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
