/**
 * Reads columns with several threads: handing SQLite's values to JavaScript costs several times SQLite's own scan,
 * so slices of the period are scanned by worker threads (each with its own read-only connection, WAL lets them read
 * side by side) straight into shared typed arrays, while the calling thread scans slices too. The period is cut into
 * a few slices per thread that the threads take in turn from a shared counter, so a thread that starts late (a new
 * worker loads its code) or runs slower (the cores are shared) takes fewer. RecordSource is synchronous, so the
 * calling thread then blocks (Atomics.wait) until every slice is in; results come back through ports read
 * synchronously.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { ColumnData, RecordFilter } from '../core/analysis/source.ts';
import type { FieldSpec } from '../core/contract/index.ts';
import { spawnWorker } from '../core/runtime/index.ts';
import {
  allocateTargets,
  readColumns,
  scanBounds,
  scanColumns,
  toColumnData,
  CLAIMED,
  FINISHED,
  type ColumnTargets,
} from './column-reader.ts';
import type { ChunkPlaceJob, ChunkSliceResult } from './chunk-reader.ts';
import type { ColumnJob, ColumnJobResult, SliceResult } from './column-worker.ts';
import { StoreError } from './errors.ts';

/** Below this many records one thread is as fast: starting the slices costs more than it saves. */
export const PARALLEL_MIN_ROWS = 200_000;
const MAX_THREADS = 4;
/** Enough slices per thread that the threads finish close together, few enough that each is a long scan. */
const SLICES_PER_THREAD = 2;
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
    const wanted = this.threads * SLICES_PER_THREAD;
    const cuts: number[] = [];
    let seen = 0;
    for (const [hour, n] of hours) {
      const next = (total * (cuts.length + 1)) / wanted;
      if (seen >= next && cuts.length < wanted - 1) cuts.push(hour * 3_600_000);
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

  /** Periods of fewer than `minRows` records are read on the calling thread: a slice's start-up costs more. */
  read(db: Database.Database, filter: RecordFilter, fields: readonly FieldSpec[], minRows = 0): ColumnData {
    // One snapshot fixes each slice's id range, so a worker never sees records stored after it.
    const { slices, bounds } = db.transaction(() => {
      const slices = this.slices(db, filter);
      return { slices, bounds: slices.map((slice) => scanBounds(db, slice)) };
    })();
    const capacity = bounds.reduce((sum, b) => sum + b.count, 0);
    if (slices.length < 2 || capacity < minRows) return readColumns(db, filter, fields);
    const targets: ColumnTargets = allocateTargets(fields, capacity, (bytes) => new SharedArrayBuffer(bytes));
    const offsets: number[] = [];
    for (let s = 0, offset = 0; s < bounds.length; offset += bounds[s]!.count, s++) offsets.push(offset);
    // [next slice to claim, workers finished]
    const control = new Int32Array(new SharedArrayBuffer(8));
    const workers = this.workers(Math.min(this.threads, slices.length) - 1);
    const job: ColumnJob = { file: this.file, slices, bounds, offsets, fields: [...fields], targets, control };
    for (const { worker } of workers) worker.postMessage({ job });
    const results: SliceResult[] = [];
    for (let s = Atomics.add(control, CLAIMED, 1); s < slices.length; s = Atomics.add(control, CLAIMED, 1)) {
      try {
        results.push({ slice: s, ok: true, ...scanColumns(db, slices[s]!, bounds[s]!, fields, targets, offsets[s]!) });
      } catch (error) {
        results.push({ slice: s, ok: false, message: error instanceof Error ? error.message : String(error) });
      }
    }
    const started = Date.now();
    for (let done = Atomics.load(control, FINISHED); done < workers.length; done = Atomics.load(control, FINISHED)) {
      if (Date.now() - started > WAIT_LIMIT_MS) throw new StoreError('reading the columns took too long; retry');
      Atomics.wait(control, FINISHED, done, 1000);
    }
    for (const { port } of workers) {
      const answer = receiveMessageOnPort(port)?.message as ColumnJobResult | undefined;
      if (!answer) throw new StoreError('a column reader thread stopped without answering');
      results.push(...answer.slices);
    }
    results.sort((a, b) => a.slice - b.slice);
    if (results.length !== slices.length) throw new StoreError('a slice of the columns was not read; retry');
    return merge(fields, targets, results, offsets);
  }

  /** Hands a chunk read's second pass (chunk-reader.ts) to the workers, which start on it at once. */
  postChunks(job: ChunkPlaceJob): PoolWorker[] {
    const workers = this.workers(this.threads - 1);
    for (const { worker } of workers) worker.postMessage({ chunkJob: job });
    return workers;
  }

  /**
   * Runs the slices of a chunk read's second pass on this thread while the workers it was posted to take them too,
   * in turn from the job's counter: a worker still loading takes none. Each worker answers a slice on its port
   * before counting it done, so once every slice is counted every answer can be read.
   */
  placeChunks(
    job: ChunkPlaceJob,
    workers: PoolWorker[],
    local: (slice: number) => ChunkSliceResult,
  ): ChunkSliceResult[] {
    const slices = job.groups.length;
    const results: ChunkSliceResult[] = [];
    const { control } = job;
    for (let s = Atomics.add(control, CLAIMED, 1); s < slices; s = Atomics.add(control, CLAIMED, 1)) {
      try {
        results.push(local(s));
      } catch (error) {
        results.push({ slice: s, ok: false, message: error instanceof Error ? error.message : String(error) });
      }
      Atomics.add(control, FINISHED, 1);
    }
    const started = Date.now();
    for (let done = Atomics.load(control, FINISHED); done < slices; done = Atomics.load(control, FINISHED)) {
      if (Date.now() - started > WAIT_LIMIT_MS) throw new StoreError('reading the columns took too long; retry');
      Atomics.wait(control, FINISHED, done, 1000);
    }
    for (const { port } of workers) {
      for (let answer = receiveMessageOnPort(port); answer; answer = receiveMessageOnPort(port)) {
        results.push(answer.message as ChunkSliceResult);
      }
    }
    if (results.length !== slices) throw new StoreError('a slice of the columns was not read; retry');
    return results.sort((a, b) => a.slice - b.slice);
  }

  /** Starts the workers now, so that they have loaded by the time a large read needs them. */
  warm(options: { prefetch?: boolean } = {}): void {
    if (this.threads < 2) return;
    const workers = this.workers(this.threads - 1);
    if (options.prefetch) workers[0]!.worker.postMessage({ prefetch: this.file });
  }

  close(): void {
    for (const { worker, port } of this.pool.splice(0)) {
      port.close();
      void worker.terminate();
    }
  }
}

/**
 * One label list per category field (a slice's own codes for labels outside the schema are rewritten to it), and
 * the slices moved next to each other: each was read at the offset of its room, which its records may not fill.
 */
function merge(
  fields: readonly FieldSpec[],
  targets: ColumnTargets,
  results: SliceResult[],
  offsets: number[],
): ColumnData {
  const categoryFields = fields.filter((f) => f.kind === 'category');
  const unseen = categoryFields.map(() => [] as string[]);
  const columns = [targets.ts, targets.probability, ...targets.numbers, ...targets.codes];
  let total = 0;
  for (const result of results) {
    if (!result.ok) throw new StoreError(`cannot read the columns: ${result.message}`);
    const from = offsets[result.slice]!;
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
      for (let i = from; i < from + result.rows; i++) {
        if (codes[i]! >= known) codes[i] = map[codes[i]! - known]!;
      }
    });
    if (from !== total) for (const column of columns) column.copyWithin(total, from, from + result.rows);
    total += result.rows;
  }
  return toColumnData(fields, targets, total, unseen);
}
