/**
 * Reads the applicant columns of a period straight from the record chunks (migration 0007), in two passes inside one
 * snapshot. The first (chunk-placement.ts) skips chunks from their statistics and reads only the `ts` and `status`
 * blobs of the others: which records the filter keeps and where each goes in (ts, id) order (`dest`). The second
 * reads the field blobs and writes each value straight to its place: a memory copy per blob when a whole chunk keeps
 * its place, else one indexed store per value; no column is sorted after the read. With a ParallelReader and a large
 * period, the second pass is cut into groups of fields that this thread and a worker (column-worker.ts, its own
 * read-only connection; chunks are never changed once written) take in turn, writing into shared memory: each column
 * is written by one thread (threads writing next to each other in one column would fight over cache lines).
 * The answer is the same as the row reader's (db/column-reader.ts): records in (ts, id) order, schema labels first,
 * then labels outside the schema in the order the sorted records first show them.
 */
import type Database from 'better-sqlite3';
import type { FieldSpec } from '../core/contract/index.ts';
import type { ColumnData, RecordFilter } from '../core/analysis/source.ts';
import { APPLICANT_COLUMN_KIND } from '../core/ingest/applicant-columns.ts';
import { CategoryMapper } from './category-mapper.ts';
import { categoryView, copyNumbers, scatterNumbers } from './chunk-format.ts';
import { candidateChunks, placeRecords } from './chunk-placement.ts';
import { allocateTargets, readColumns, renumberUnseen, toColumnData, type ColumnTargets } from './column-reader.ts';
import type { ParallelReader } from './parallel-reader.ts';

/** Below this many records in the candidate chunks (by default) the second pass runs on the calling thread alone. */
export const PARALLEL_CHUNK_RECORDS = 200_000;
/**
 * Field groups per thread of the second pass. One: every group walks every chunk row again, so more groups cost more
 * than they balance (measured: 8 groups on 2 threads 265 ms, 2 groups 182–202 ms, one thread 306 ms per 1 M records).
 */
const SLICES_PER_THREAD = 1;

/** Whether every field is a chunk column of the same kind (else the row reader answers). */
export function readsFromChunks(fields: readonly FieldSpec[]): boolean {
  return fields.every((field) => {
    const kind = APPLICANT_COLUMN_KIND.get(field.name);
    return kind !== undefined && (kind === 'category') === (field.kind === 'category');
  });
}

/** What a thread needs to write its slices of the second pass (posted to column-worker.ts as it is). */
export interface ChunkPlaceJob {
  file: string;
  fields: FieldSpec[];
  /** Per candidate chunk: its id, its slot count and its first slot in `dest`. */
  ids: number[];
  rows: number[];
  base: number[];
  /** Slice s writes the fields groups[s] (indexes into `fields`; -1: the probability) of every chunk. */
  groups: number[][];
  /** Filled by the first pass, which may still run when a worker starts its slice (see READY). */
  kept: Int32Array;
  dest: Int32Array;
  targets: ColumnTargets;
  /** [next slice to claim, slices done, READY, IDENTITY]. */
  control: Int32Array;
}

/** control[READY]: 0 while the first pass runs, 1 once `kept`, `dest` and control[IDENTITY] are set, -1 if it failed. */
export const READY = 2;
/** control[IDENTITY]: 1 when the answer's order is the read order (whole chunks are then copied in one piece). */
export const IDENTITY = 3;
const READY_WAIT_MS = 15 * 60_000;

/** Per category field a slice wrote (its index among the category fields): its labels outside the schema. */
export type ChunkSliceResult = { slice: number } & (
  { ok: true; unseen: Array<[number, string[]]> } | { ok: false; message: string }
);

/** Whether the first pass is done; waits for it once `wait` (false: the caller has blobs to read meanwhile). */
function firstPassDone(control: Int32Array, wait: boolean): boolean {
  const started = Date.now();
  for (let state = Atomics.load(control, READY); ; state = Atomics.load(control, READY)) {
    if (state === 1) return true;
    if (state === -1) throw new Error('the first pass of the read failed');
    if (!wait) return false;
    if (Date.now() - started > READY_WAIT_MS) throw new Error('the first pass of the read took too long');
    Atomics.wait(control, READY, 0, 1000);
  }
}

/**
 * The second pass over one slice: its fields' blobs of every chunk, written to the records' places. Each field is
 * written by one slice alone, so threads never write next to each other and each field's labels outside the schema
 * are numbered in read order, as on one thread. A worker that starts while the first pass still runs reads blobs
 * ahead and holds them until the places are known.
 */
export function placeChunkSlice(db: Database.Database, job: ChunkPlaceJob, slice: number): ChunkSliceResult {
  const { fields, dest, targets, kept, control } = job;
  const group = job.groups[slice]!;
  const numberIndex: number[] = [];
  const categoryIndex: number[] = [];
  for (let f = 0, n = 0, c = 0; f < fields.length; f++) {
    numberIndex.push(fields[f]!.kind === 'category' ? -1 : n++);
    categoryIndex.push(fields[f]!.kind === 'category' ? c++ : -1);
  }
  const mappers = group.map((f) =>
    f >= 0 && categoryIndex[f]! >= 0 ? new CategoryMapper(fields[f]!.categories ?? []) : null,
  );
  const columns = group.map((f) => (f < 0 ? 'probability' : fields[f]!.name));
  const select = db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM record_chunks WHERE id = ?`).raw();
  const ahead: Uint8Array[][] = [];
  let ready = firstPassDone(control, false);
  const place = (ch: number, blobs: Uint8Array[]): void => {
    const base = job.base[ch]!;
    const rows = job.rows[ch]!;
    // A chunk that keeps every record in read order lands in one piece at its first record's place.
    const at = control[IDENTITY] === 1 && kept[ch] === rows ? dest[base]! : -1;
    for (let g = 0; g < group.length; g++) {
      const f = group[g]!;
      const mapper = mappers[g];
      if (!mapper) {
        placeNumbers(blobs[g]!, f < 0 ? targets.probability : targets.numbers[numberIndex[f]!]!, dest, base, at);
        continue;
      }
      const decoded = categoryView(blobs[g]!);
      mapper.begin(decoded.labels);
      const target = targets.codes[categoryIndex[f]!]!;
      const codes = decoded.codes;
      for (let i = 0; i < rows; i++) {
        const d = dest[base + i]!;
        if (d >= 0) target[d] = mapper.code(codes[i]!);
      }
    }
  };
  for (let ch = 0; ch < job.ids.length; ch++) {
    if (ready && kept[ch] === 0) continue;
    const blobs = select.get(job.ids[ch]) as Uint8Array[] | undefined;
    if (!blobs) return { slice, ok: false, message: `record chunk ${job.ids[ch]} is gone` };
    if (!ready) ready = firstPassDone(control, false);
    if (!ready) {
      ahead.push(blobs);
      continue;
    }
    for (let k = 0; k < ahead.length; k++) if (kept[k]! > 0) place(k, ahead[k]!);
    ahead.length = 0;
    if (kept[ch]! > 0) place(ch, blobs);
  }
  if (!ready) {
    firstPassDone(control, true);
    for (let k = 0; k < ahead.length; k++) if (kept[k]! > 0) place(k, ahead[k]!);
  }
  const unseen: Array<[number, string[]]> = [];
  group.forEach((f, g) => {
    if (mappers[g]) unseen.push([categoryIndex[f]!, mappers[g]!.unseen]);
  });
  return { slice, ok: true, unseen };
}

/** The probability and the fields cut into `count` groups of about equal bytes per record, in their order. */
function fieldGroups(fields: readonly FieldSpec[], count: number): number[][] {
  const weight = (f: number) => (f >= 0 && fields[f]!.kind === 'category' ? 3 : 8);
  const all = [-1, ...fields.map((_, f) => f)];
  const total = all.reduce((sum, f) => sum + weight(f), 0);
  const groups: number[][] = [[]];
  let sum = 0;
  for (const f of all) {
    if (sum >= (total * groups.length) / count && groups.length < count) groups.push([]);
    groups[groups.length - 1]!.push(f);
    sum += weight(f);
  }
  return groups;
}

export function readChunkColumns(
  db: Database.Database,
  filter: RecordFilter,
  fields: readonly FieldSpec[],
  parallel: ParallelReader | null = null,
  minRows = PARALLEL_CHUNK_RECORDS,
): ColumnData {
  return db.transaction(() => {
    const candidates = candidateChunks(db, filter);
    const capacity = candidates.reduce((sum, head) => sum + head.rows, 0);
    const threads = parallel && capacity >= minRows ? parallel.threads : 1;
    const memory =
      threads > 1 ? (bytes: number) => new SharedArrayBuffer(bytes) : (bytes: number) => new ArrayBuffer(bytes);
    const base: number[] = [];
    for (let c = 0, slots = 0; c < candidates.length; slots += candidates[c]!.rows, c++) base.push(slots);
    // Room for every slot of the candidates, so that a worker can start on the blobs before the first pass ends.
    const job: ChunkPlaceJob = {
      file: db.name,
      fields: [...fields],
      ids: candidates.map((head) => head.id),
      rows: candidates.map((head) => head.rows),
      base,
      groups: fieldGroups(fields, threads > 1 ? Math.min(threads * SLICES_PER_THREAD, fields.length + 1) : 1),
      kept: new Int32Array(memory(candidates.length * 4)),
      dest: new Int32Array(memory(capacity * 4)),
      targets: allocateTargets(fields, capacity, memory),
      control: new Int32Array(new SharedArrayBuffer(16)),
    };
    const { control } = job;
    const posted = job.groups.length > 1 && parallel ? parallel.postChunks(job) : [];
    let placed: ReturnType<typeof placeRecords>;
    try {
      placed = placeRecords(db, candidates, filter, job.dest, job.kept);
    } catch (error) {
      Atomics.store(control, READY, -1);
      Atomics.notify(control, READY);
      throw error;
    }
    job.targets.ts.set(placed.ts);
    Atomics.store(control, IDENTITY, placed.identity ? 1 : 0);
    Atomics.store(control, READY, 1);
    Atomics.notify(control, READY);
    const results =
      posted.length > 0
        ? parallel!.placeChunks(job, posted, (s) => placeChunkSlice(db, job, s))
        : job.groups.map((_, s) => placeChunkSlice(db, job, s));
    const unseen = fields.filter((f) => f.kind === 'category').map(() => [] as string[]);
    for (const result of results) {
      if (!result.ok) throw new Error(`cannot read the record chunks: ${result.message}`);
      for (const [c, labels] of result.unseen) unseen[c] = labels;
    }
    if (!placed.identity) {
      // The mappers met labels outside the schema in read order; the answer numbers them in (ts, id) order.
      const known = fields.filter((f) => f.kind === 'category').map((f) => (f.categories ?? []).length);
      unseen.forEach((labels, c) => {
        if (labels.length > 1) renumberUnseen(job.targets.codes[c]!.subarray(0, placed.count), known[c]!, labels);
      });
    }
    return toColumnData(fields, job.targets, placed.count, unseen);
  })();
}

/**
 * The one entry point for reading columns from a store of either layout: from the chunks when the store has them and
 * every field is a chunk column of its kind, else through the row reader (the `predictions` view, or the wave-1
 * table of a store not converted yet), on several threads for large periods when `parallel` is given.
 */
export function readStoredColumns(
  db: Database.Database,
  filter: RecordFilter,
  fields: readonly FieldSpec[],
  options: { chunked?: boolean; parallel?: ParallelReader | null; parallelMinRows?: number; rows?: () => number } = {},
): ColumnData {
  const parallel = options.parallel ?? null;
  const minRows = options.parallelMinRows ?? PARALLEL_CHUNK_RECORDS;
  if ((options.chunked ?? true) && readsFromChunks(fields))
    return readChunkColumns(db, filter, fields, parallel, minRows);
  if (parallel && parallel.threads > 1 && (options.rows?.() ?? Infinity) >= minRows) {
    return parallel.read(db, filter, fields, minRows);
  }
  return readColumns(db, filter, fields);
}

/** Writes a chunk's number blob to the records' places: in one piece at `at` when it is not -1. */
function placeNumbers(blob: Uint8Array, target: Float64Array, dest: Int32Array, base: number, at: number) {
  if (at >= 0) copyNumbers(blob, target, at);
  else scatterNumbers(blob, target, dest, base);
}
