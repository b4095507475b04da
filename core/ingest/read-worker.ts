/**
 * Worker thread entry: reads log files one after the other on request (gunzip, split, parse, flatten, and the
 * target's own preparation when it names a preparer module) and posts their batches to the importing thread, which
 * only writes them. At most MAX_IN_FLIGHT batches wait unacknowledged,
 * so memory stays bounded when the writer is the slower side.
 */
import { parentPort } from 'node:worker_threads';
import { importModule } from '../runtime/import-module.ts';
import { DEFAULT_BATCH_SIZE, readLogBatches, type LogBatch, type ReadOptions } from './log-batches.ts';
import type { PreparedRows, QuarantineEntry, RowSink, TransferList } from './target.ts';

/** What the target's preparer module makes (IngestTarget.batchPreparer). */
interface Preparer extends RowSink {
  take(): PreparedRows;
  /** Buffers of `prepared` only it holds, which the thread may hand over without a copy (then it cannot read them). */
  transferable?(prepared: PreparedRows): TransferList;
}
type CreatePreparer = () => Preparer;
const preparers = new Map<string, CreatePreparer>();

async function preparerOf(url: string | undefined): Promise<Preparer | null> {
  if (!url) return null;
  let create = preparers.get(url);
  if (!create) {
    const module = (await importModule(url)) as { createPreparer?: CreatePreparer };
    if (typeof module.createPreparer !== 'function') throw new Error(`${url} does not export createPreparer`);
    create = module.createPreparer;
    preparers.set(url, create);
  }
  return create();
}

/**
 * The preparer takes each record as it is parsed; every this many lines the reader looks whether the batch the
 * writer commits at once is full.
 */
const PREPARE_LINES = 2048;

/** Batches a reader may post before the writer acknowledges one (see THREADED_BATCH_SIZE in ingest-files.ts). */
export const MAX_IN_FLIGHT = 4;

export type ReadRequest = { type: 'read'; job: number; path: string; options: ReadOptions } | { type: 'ack' };

/** `job` names the read request it answers (0: the thread itself failed). */
export type ReadWorkerMessage =
  | { type: 'batch'; job: number; batch: LogBatch }
  | { type: 'done'; job: number }
  | { type: 'error'; job: number; message: string };

const port = parentPort!;
let inFlight = 0;
let wake: (() => void) | null = null;
const jobs: Array<Extract<ReadRequest, { type: 'read' }>> = [];
let running = false;

async function run(): Promise<void> {
  running = true;
  while (jobs.length > 0) {
    const job = jobs.shift()!;
    try {
      const preparer = await preparerOf(job.options.preparer);
      const post = async (batch: LogBatch): Promise<void> => {
        const transfer = batch.prepared && preparer?.transferable ? preparer.transferable(batch.prepared) : [];
        port.postMessage({ type: 'batch', job: job.job, batch } satisfies ReadWorkerMessage, transfer);
        inFlight++;
        while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
      };
      if (preparer) {
        const batchSize = job.options.batchSize ?? DEFAULT_BATCH_SIZE;
        let quarantined: QuarantineEntry[] = [];
        let lines = 0;
        let bytesRead = 0;
        let damaged: string | undefined;
        const take = (): LogBatch => {
          const batch: LogBatch = { rows: [], prepared: preparer.take(), quarantined, lines, bytesRead };
          if (damaged !== undefined) batch.damaged = damaged;
          quarantined = [];
          lines = 0;
          return batch;
        };
        const options = { ...job.options, batchSize: Math.min(batchSize, PREPARE_LINES), whole: true };
        for await (const read of readLogBatches(job.path, options, preparer)) {
          for (const entry of read.quarantined) quarantined.push(entry);
          lines += read.lines;
          bytesRead = read.bytesRead;
          damaged = read.damaged;
          if (lines >= batchSize && damaged === undefined) await post(take());
        }
        // As readLogBatches, the last batch always comes (with the damage, if any), even empty.
        await post(take());
      } else {
        for await (const batch of readLogBatches(job.path, { ...job.options, whole: true })) await post(batch);
      }
      port.postMessage({ type: 'done', job: job.job } satisfies ReadWorkerMessage);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      port.postMessage({ type: 'error', job: job.job, message } satisfies ReadWorkerMessage);
    }
  }
  running = false;
}

port.on('message', (request: ReadRequest) => {
  if (request.type === 'ack') {
    inFlight--;
    wake?.();
    wake = null;
    return;
  }
  jobs.push(request);
  if (!running) void run();
});
