/**
 * Worker thread entry of the parallel column reader: scans one time slice of the records into shared typed arrays
 * with its own read-only connection, answers on its port, then counts itself done on the shared counter the
 * reading thread waits on.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { FieldSpec } from '../core/contract/index.ts';
import type { RecordFilter } from '../core/analysis/source.ts';
import { scanColumns, type ColumnTargets, type ScanBounds } from './column-reader.ts';

export interface ColumnJob {
  file: string;
  filter: RecordFilter;
  bounds: ScanBounds;
  fields: FieldSpec[];
  offset: number;
  targets: ColumnTargets;
  done: Int32Array;
}

export type ColumnJobResult = { ok: true; rows: number; unseen: string[][] } | { ok: false; message: string };

let db: Database.Database | null = null;
let port: MessagePort | null = null;

function connection(file: string): Database.Database {
  if (db && db.name !== file) {
    db.close();
    db = null;
  }
  db ??= new Database(file, { readonly: true, fileMustExist: true });
  return db;
}

parentPort!.on('message', (message: { port?: MessagePort; job?: ColumnJob }) => {
  if (message.port) {
    port = message.port;
    return;
  }
  const job = message.job!;
  let result: ColumnJobResult;
  try {
    const { rows, unseen } = scanColumns(
      connection(job.file),
      job.filter,
      job.bounds,
      job.fields,
      job.targets,
      job.offset,
    );
    result = { ok: true, rows, unseen };
  } catch (error) {
    result = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port!.postMessage(result);
  Atomics.add(job.done, 0, 1);
  Atomics.notify(job.done, 0);
});
