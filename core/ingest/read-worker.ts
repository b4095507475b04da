/**
 * Worker thread entry: reads log files one after the other on request (gunzip, split, parse, flatten, and the
 * target's own preparation when it names a preparer module) and posts their batches to the importing thread, which
 * only writes them. At most MAX_IN_FLIGHT batches wait unacknowledged,
 * so memory stays bounded when the writer is the slower side.
 */
import { parentPort } from 'node:worker_threads';
import type { FlatRow } from './flat-record.ts';
import { readLogBatches, type LogBatch, type ReadOptions } from './log-batches.ts';
import type { PreparedRows } from './target.ts';

type Prepare = (rows: FlatRow[]) => PreparedRows;
const preparers = new Map<string, Prepare>();

async function preparerOf(url: string | undefined): Promise<Prepare | null> {
  if (!url) return null;
  let prepare = preparers.get(url);
  if (!prepare) {
    const module = (await import(url)) as { prepareRows?: Prepare };
    if (typeof module.prepareRows !== 'function') throw new Error(`${url} does not export prepareRows`);
    prepare = module.prepareRows;
    preparers.set(url, prepare);
  }
  return prepare;
}

export const MAX_IN_FLIGHT = 2;

export type ReadRequest = { type: 'read'; path: string; options: ReadOptions } | { type: 'ack' };

export type ReadWorkerMessage =
  { type: 'batch'; batch: LogBatch } | { type: 'done' } | { type: 'error'; message: string };

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
      const prepare = await preparerOf(job.options.preparer);
      for await (const read of readLogBatches(job.path, job.options)) {
        const batch = prepare ? { ...read, rows: [], prepared: prepare(read.rows) } : read;
        port.postMessage({ type: 'batch', batch } satisfies ReadWorkerMessage);
        inFlight++;
        while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
      }
      port.postMessage({ type: 'done' } satisfies ReadWorkerMessage);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      port.postMessage({ type: 'error', message } satisfies ReadWorkerMessage);
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
