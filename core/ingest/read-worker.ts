/**
 * Worker thread entry: reads log files one after the other on request (gunzip, split, parse, flatten) and posts
 * their batches to the importing thread, which only writes them. At most MAX_IN_FLIGHT batches wait unacknowledged,
 * so memory stays bounded when the writer is the slower side.
 */
import { parentPort } from 'node:worker_threads';
import { readLogBatches, type LogBatch, type ReadOptions } from './log-batches.ts';

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
      for await (const batch of readLogBatches(job.path, job.options)) {
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
