/**
 * Reads columns with several threads: better-sqlite3 hands over one row at a time, and turning values into
 * JavaScript costs far more than SQLite's scan, so slices of the period are scanned by worker threads (each with its
 * own read-only connection, WAL lets them read side by side) straight into shared typed arrays, while the calling
 * thread reads the first slice. RecordSource is synchronous, so the calling thread then blocks (Atomics.wait) until
 * every slice is in; results come back through ports read synchronously.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { ColumnData, RecordFilter } from '../core/analysis/source.ts';
import type { FieldSpec } from '../core/contract/index.ts';
import { spawnWorker } from '../core/runtime/index.ts';
import { allocateTargets, countRecords, scanColumns, toColumnData, type ColumnTargets } from './column-reader.ts';
import type { ColumnJob, ColumnJobResult } from './column-worker.ts';
import { StoreError } from './errors.ts';

/** Below this many records one thread is as fast: starting the slices costs more than it saves. */
export const PARALLEL_MIN_ROWS = 200_000;
const MAX_THREADS = 4;
const WAIT_LIMIT_MS = 15 * 60_000;

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
}

export class ParallelReader {
  private readonly pool: PoolWorker[] = [];

  constructor(
    private readonly file: string,
    readonly threads: number = Math.min(MAX_THREADS, availableParallelism()),
  ) {}

  private workers(n: number): PoolWorker[] {
    while (this.pool.length < n) {
      const worker = spawnWorker(new URL('./column-worker.ts', import.meta.url));
      worker.unref();
      const channel = new MessageChannel();
      worker.postMessage({ port: channel.port2 }, [channel.port2]);
      this.pool.push({ worker, port: channel.port1 });
    }
    return this.pool.slice(0, n);
  }

  /** Time slices of about equal record counts, cut at whole hours of the hourly rollup. */
  private slices(db: Database.Database, filter: RecordFilter): RecordFilter[] {
    const hours = db
      .prepare(`SELECT hour, sum(requests) FROM rollup_hour WHERE hour >= ? AND hour < ? GROUP BY hour ORDER BY hour`)
      .raw()
      .all(
        filter.from === undefined ? -1e12 : Math.floor(filter.from / 3_600_000),
        filter.to === undefined ? 1e12 : Math.ceil(filter.to / 3_600_000),
      ) as Array<[number, number]>;
    const total = hours.reduce((sum, [, n]) => sum + n, 0);
    const cuts: number[] = [];
    let seen = 0;
    for (const [hour, n] of hours) {
      const next = (total * (cuts.length + 1)) / this.threads;
      if (seen >= next && cuts.length < this.threads - 1) cuts.push(hour * 3_600_000);
      seen += n;
    }
    const bounds = [
      filter.from,
      ...cuts.filter((t) => (filter.from ?? -Infinity) < t && t < (filter.to ?? Infinity)),
      filter.to,
    ];
    const slices: RecordFilter[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) slices.push({ ...filter, from: bounds[i], to: bounds[i + 1] });
    return slices;
  }

  read(db: Database.Database, filter: RecordFilter, fields: readonly FieldSpec[]): ColumnData {
    const { slices, counts } = db.transaction(() => {
      const slices = this.slices(db, filter);
      return { slices, counts: slices.map((slice) => countRecords(db, slice)) };
    })();
    const total = counts.reduce((sum, n) => sum + n, 0);
    const targets: ColumnTargets = allocateTargets(fields, total, (bytes) => new SharedArrayBuffer(bytes));
    const done = new Int32Array(new SharedArrayBuffer(4));
    // The calling thread reads the first slice itself while the workers read the others.
    const workers = this.workers(slices.length - 1);
    let offset = counts[0]!;
    slices.slice(1).forEach((slice, i) => {
      const limit = counts[i + 1]!;
      const job: ColumnJob = { file: this.file, filter: slice, fields: [...fields], offset, limit, targets, done };
      workers[i]!.worker.postMessage({ job });
      offset += limit;
    });
    let first: ColumnJobResult;
    try {
      first = { ok: true, ...scanColumns(db, slices[0]!, fields, targets, 0, counts[0]!) };
    } catch (error) {
      first = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    const started = Date.now();
    for (let finished = Atomics.load(done, 0); finished < workers.length; finished = Atomics.load(done, 0)) {
      if (Date.now() - started > WAIT_LIMIT_MS) throw new StoreError('reading the columns took too long; retry');
      Atomics.wait(done, 0, finished, 1000);
    }
    const results = workers.map(({ port }) => receiveMessageOnPort(port)?.message as ColumnJobResult | undefined);
    return merge(fields, targets, total, [first, ...results], counts);
  }

  close(): void {
    for (const { worker, port } of this.pool.splice(0)) {
      port.close();
      void worker.terminate();
    }
  }
}

/** One label list per category field; a slice's own codes for labels outside the schema are rewritten to it. */
function merge(
  fields: readonly FieldSpec[],
  targets: ColumnTargets,
  total: number,
  results: Array<ColumnJobResult | undefined>,
  counts: number[],
): ColumnData {
  const categoryFields = fields.filter((f) => f.kind === 'category');
  const unseen = categoryFields.map(() => [] as string[]);
  let offset = 0;
  results.forEach((result, slice) => {
    if (!result) throw new StoreError('a column reader thread stopped without answering');
    if (!result.ok) throw new StoreError(`cannot read the columns: ${result.message}`);
    categoryFields.forEach((field, c) => {
      const local = result.unseen[c]!;
      if (local.length === 0) return;
      const known = (field.categories ?? []).length;
      const map = local.map((label) => {
        let k = unseen[c]!.indexOf(label);
        if (k < 0) k = unseen[c]!.push(label) - 1;
        return known + k;
      });
      const codes = targets.codes[c]!;
      for (let i = offset; i < offset + counts[slice]!; i++) {
        if (codes[i]! >= known) codes[i] = map[codes[i]! - known]!;
      }
    });
    offset += counts[slice]!;
  });
  return toColumnData(fields, targets, total, unseen);
}
