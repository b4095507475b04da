/**
 * Worker thread entry of the parallel column reader: takes slices of the period in turn from the shared counter
 * and scans each into the shared typed arrays with its own read-only connection, answers on its port, then counts
 * itself finished on the counter the reading thread waits on. It also takes slices of a chunk read's second pass
 * (chunk-reader.ts placeChunkSlice): a group of fields of every chunk.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { FieldSpec } from '../core/contract/index.ts';
import type { RecordFilter } from '../core/analysis/source.ts';
import { placeChunkSlice, type ChunkPlaceJob, type ChunkSliceResult } from './chunk-reader.ts';
import { registerChunkFunctions } from './chunk-view.ts';
import { mapStoreFile } from './memory-map.ts';
import { prefetchFile, prefetchTable } from './prefetch.ts';
import { CLAIMED, FINISHED, scanColumns, type ColumnTargets, type ScanBounds } from './column-reader.ts';

export interface ColumnJob {
  file: string;
  slices: RecordFilter[];
  bounds: ScanBounds[];
  /** Where each slice's records go in the targets. */
  offsets: number[];
  fields: FieldSpec[];
  targets: ColumnTargets;
  /** [next slice to claim, workers finished]. */
  control: Int32Array;
}

export type SliceResult = { slice: number } & (
  { ok: true; rows: number; unseen: string[][] } | { ok: false; message: string }
);

export interface ColumnJobResult {
  slices: SliceResult[];
}

let db: Database.Database | null = null;
let port: MessagePort | null = null;

function connection(file: string): Database.Database {
  if (db && db.name !== file) {
    db.close();
    db = null;
  }
  if (!db) {
    db = new Database(file, { readonly: true, fileMustExist: true });
    // The row reader reads the applicant fields through the `predictions` view (migration 0007).
    registerChunkFunctions(db);
    mapStoreFile(db);
  }
  return db;
}

function run(job: ColumnJob): SliceResult[] {
  const results: SliceResult[] = [];
  const { control, slices } = job;
  for (let s = Atomics.add(control, CLAIMED, 1); s < slices.length; s = Atomics.add(control, CLAIMED, 1)) {
    try {
      const read = scanColumns(
        connection(job.file),
        slices[s]!,
        job.bounds[s]!,
        job.fields,
        job.targets,
        job.offsets[s]!,
      );
      results.push({ slice: s, ok: true, ...read });
    } catch (error) {
      results.push({ slice: s, ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

/** Takes slices of a chunk read's second pass in turn; answers each on the port before counting it done. */
function placeChunks(job: ChunkPlaceJob): void {
  const slices = job.groups.length;
  const { control } = job;
  for (let s = Atomics.add(control, CLAIMED, 1); s < slices; s = Atomics.add(control, CLAIMED, 1)) {
    let result: ChunkSliceResult;
    try {
      result = placeChunkSlice(connection(job.file), job, s);
    } catch (error) {
      result = { slice: s, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    port!.postMessage(result);
    Atomics.add(control, FINISHED, 1);
    Atomics.notify(control, FINISHED);
  }
}

/** A read of every record reads the record chunks alone: their pages ahead, or the whole file if they are not found. */
function readAhead(file: string): Promise<number> {
  let root: unknown;
  try {
    root = connection(file)
      .prepare("SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = 'record_chunks'")
      .pluck()
      .get();
  } catch {
    root = undefined;
  }
  return typeof root === 'number' && root > 0 ? prefetchTable(file, root) : prefetchFile(file);
}

interface Message {
  port?: MessagePort;
  job?: ColumnJob;
  chunkJob?: ChunkPlaceJob;
  /** A store file to read ahead (db/prefetch.ts), in the background. */
  prefetch?: string;
}

parentPort!.on('message', (message: Message) => {
  if (message.prefetch) {
    void readAhead(message.prefetch);
    return;
  }
  if (message.port) {
    port = message.port;
    return;
  }
  if (message.chunkJob) {
    placeChunks(message.chunkJob);
    return;
  }
  const job = message.job!;
  const answer: ColumnJobResult = { slices: run(job) };
  port!.postMessage(answer);
  Atomics.add(job.control, FINISHED, 1);
  Atomics.notify(job.control, FINISHED);
});
