/**
 * readLogBatches on a worker thread: reading, parsing and preparing a file overlaps with writing the previous batch
 * to SQLite on the calling thread, which splits the work of an import between two cores. One worker serves every
 * file of a run (starting one costs a few hundred milliseconds), one file after the other; a file can be started
 * while the one before it is still being written (`start`), so the worker reads ahead across files.
 */
import type { Worker } from 'node:worker_threads';
import { bundledModule, spawnWorker } from '../runtime/index.ts';
import type { LogBatch, ReadOptions } from './log-batches.ts';
import type { ReadRequest, ReadWorkerMessage } from './read-worker.ts';

/** One file's batches as they arrive from the worker. */
export interface StartedRead {
  readonly path: string;
  readonly options: ReadOptions;
  /** False once the worker it was started on stopped (its batches will never come). */
  readonly alive: boolean;
  batches(): AsyncGenerator<LogBatch>;
}

interface Job {
  queue: ReadWorkerMessage[];
  notify: (() => void) | null;
  worker: Worker;
}

/**
 * Reader threads per run: two, so that while one file is parsed the next is too, and the writing thread (about a
 * third of the work) never waits for a single reader; on two cores the three share the machine.
 */
const READERS = 2;

export class WorkerReader {
  private workers: Array<Worker | null> = Array<Worker | null>(READERS).fill(null);
  private readonly jobs = new Map<number, Job>();
  private nextJob = 1;
  private readonly preparers = new Map<string, string>();

  constructor(private readonly readers = READERS) {}

  private start(slot: number): Worker {
    const running = this.workers[slot];
    if (running) return running;
    // The reader hands its batches over rather than keeping them: a bounded heap makes it collect early.
    const worker = spawnWorker(new URL('./read-worker.ts', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: 128 },
    });
    const deliver = (job: number | null, message: ReadWorkerMessage): void => {
      const targets =
        job === null
          ? [...this.jobs.values()].filter((j) => j.worker === worker)
          : [this.jobs.get(job)].filter((j) => j !== undefined);
      for (const target of targets) {
        target.queue.push(message);
        target.notify?.();
        target.notify = null;
      }
    };
    worker.on('message', (message: ReadWorkerMessage) => deliver(message.job, message));
    worker.on('error', (error: Error) => deliver(null, { type: 'error', job: 0, message: error.message }));
    worker.on('exit', (code) => {
      if (this.workers[slot] === worker) {
        this.workers[slot] = null;
        deliver(null, { type: 'error', job: 0, message: `the file reader thread stopped (exit code ${code})` });
      }
    });
    this.workers[slot] = worker;
    return worker;
  }

  /** Starts reading `path` now (after the files started before it); its batches come from `batches()`. */
  begin(path: string, options: ReadOptions = {}): StartedRead {
    const id = this.nextJob++;
    const worker = this.start(id % this.readers);
    const job: Job = { queue: [], notify: null, worker };
    this.jobs.set(id, job);
    const request = options.preparer ? { ...options, preparer: this.preparerUrl(options.preparer) } : options;
    worker.postMessage({ type: 'read', job: id, path, options: request } satisfies ReadRequest);
    const batches = async function* (this: WorkerReader): AsyncGenerator<LogBatch> {
      let finished = false;
      try {
        for (;;) {
          while (job.queue.length === 0) await new Promise<void>((resolve) => (job.notify = resolve));
          const message = job.queue.shift()!;
          if (message.type === 'done') {
            finished = true;
            return;
          }
          if (message.type === 'error') {
            finished = true;
            throw new Error(message.message);
          }
          yield message.batch;
          if (this.jobs.has(id)) job.worker.postMessage({ type: 'ack' } satisfies ReadRequest);
        }
      } finally {
        this.jobs.delete(id);
        if (!finished) await this.close();
      }
    };
    const jobs = this.jobs;
    return {
      path,
      options,
      get alive() {
        return jobs.has(id);
      },
      batches: batches.bind(this),
    };
  }

  /** The preparer module from its bundle too, so that a bundled reader never needs tsx; looked up once a run. */
  private preparerUrl(url: string): string {
    let found = this.preparers.get(url);
    if (found === undefined) {
      found = bundledModule(new URL(url))?.href ?? url;
      this.preparers.set(url, found);
    }
    return found;
  }

  /** The batches of one file; breaking out of the loop stops the worker (the next read starts a new one). */
  read(path: string, options: ReadOptions = {}): AsyncGenerator<LogBatch> {
    return this.begin(path, options).batches();
  }

  async close(): Promise<void> {
    const workers = this.workers.filter((w) => w !== null);
    this.workers = this.workers.map(() => null);
    this.jobs.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
