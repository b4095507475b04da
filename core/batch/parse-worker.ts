/**
 * Worker thread entry: reads and parses one offline-scoring input file (core/engine's reader: gunzip, CSV or JSONL)
 * and posts its rows in chunks, so the scoring thread only validates, batches and writes. At most MAX_IN_FLIGHT
 * chunks wait unacknowledged, which bounds memory when scoring is the slower side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileInputSchema } from '../contract/index.ts';
import { InvalidRow, readOfflineInput, type InputFormat, type RowError } from '../engine/index.ts';

export const MAX_IN_FLIGHT = 4;
export const CHUNK_ROWS = 2048;

export interface ParseJob {
  file: string;
  format: InputFormat;
  schema: unknown;
}

/** A row that could not be read travels as its error (class instances do not cross threads). */
export type WireRow = { line: number; value: unknown } | { line: number; invalid: RowError };

export type ParseMessage =
  | { type: 'rows'; rows: WireRow[]; bytesRead: number; ignored: string[] }
  | { type: 'done'; bytesRead: number; ignored: string[] }
  | { type: 'error'; message: string };

const port = parentPort!;
const job = workerData as ParseJob;
let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  inFlight -= 1;
  wake?.();
  wake = null;
});

async function run(): Promise<void> {
  const reader = readOfflineInput(job.file, job.format, compileInputSchema(job.schema));
  let rows: WireRow[] = [];
  const flush = async () => {
    port.postMessage({
      type: 'rows',
      rows,
      bytesRead: reader.bytesRead(),
      ignored: reader.ignoredColumns(),
    } satisfies ParseMessage);
    rows = [];
    inFlight += 1;
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
  };
  for await (const row of reader.rows) {
    rows.push(row.value instanceof InvalidRow ? { line: row.line, invalid: row.value.error } : row);
    if (rows.length >= CHUNK_ROWS) await flush();
  }
  if (rows.length > 0) await flush();
  port.postMessage({
    type: 'done',
    bytesRead: reader.bytesRead(),
    ignored: reader.ignoredColumns(),
  } satisfies ParseMessage);
}

run().catch((error: unknown) =>
  port.postMessage({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
  } satisfies ParseMessage),
);
