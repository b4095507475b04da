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
import { categoryView, copyNumbers, MISSING_CODE } from './chunk-format.ts';
import { candidateChunks, numberView, placeRecords } from './chunk-placement.ts';
import { allocateTargets, readColumns, renumberUnseen, toColumnData, type ColumnTargets } from './column-reader.ts';
import type { ParallelReader } from './parallel-reader.ts';

/** Below this many kept records (by default) the second pass runs on the calling thread alone. */
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

/** Maps one category field's chunk codes to the answer's codes: schema index, else a label outside it. */
class CategoryMapper {
  readonly unseen: string[] = [];
  private readonly unseenIndex = new Map<string, number>();
  private readonly known: Map<string, number>;
  private readonly knownCount: number;
  private labels: string[] = [];
  private table = new Int32Array(0);

  constructor(categories: readonly string[]) {
    this.known = new Map();
    categories.forEach((label, i) => {
      if (!this.known.has(label)) this.known.set(label, i);
    });
    this.knownCount = categories.length;
  }

  /** Starts a chunk whose dictionary is `labels`; codes are resolved the first time a record shows them. */
  begin(labels: string[]): void {
    this.labels = labels;
    if (this.table.length < labels.length) this.table = new Int32Array(Math.max(labels.length, 64));
    this.table.fill(-3, 0, labels.length);
  }

  code(stored: number): number {
    if (stored === MISSING_CODE) return -1;
    const mapped = this.table[stored]!;
    if (mapped !== -3) return mapped;
    const label = this.labels[stored]!;
    let code = this.known.get(label);
    if (code === undefined) {
      let k = this.unseenIndex.get(label);
      if (k === undefined) {
        k = this.unseen.push(label) - 1;
        this.unseenIndex.set(label, k);
      }
      code = this.knownCount + k;
    }
    this.table[stored] = code;
    return code;
  }
}

/** What a thread needs to write its slices of the second pass (posted to column-worker.ts as it is). */
export interface ChunkPlaceJob {
  file: string;
  fields: FieldSpec[];
  /** Per candidate chunk: its id, its slot count, its first slot in `dest`, and how many records it keeps. */
  ids: number[];
  rows: number[];
  base: number[];
  kept: number[];
  /** Slice s writes the fields groups[s] (indexes into `fields`; -1: the probability) of every chunk. */
  groups: number[][];
  dest: Int32Array;
  targets: ColumnTargets;
  /** Whether the answer's order is the read order (whole chunks are then copied in one piece). */
  identity: boolean;
  /** [next slice to claim, slices done]. */
  control: Int32Array;
}

/** Per category field a slice wrote (its index among the category fields): its labels outside the schema. */
export type ChunkSliceResult = { slice: number } & (
  { ok: true; unseen: Array<[number, string[]]> } | { ok: false; message: string }
);

/**
 * The second pass over one slice: its fields' blobs of every chunk, written to the records' places. Each field is
 * written by one slice alone, so threads never write next to each other and each field's labels outside the schema
 * are numbered in read order, as on one thread.
 */
export function placeChunkSlice(db: Database.Database, job: ChunkPlaceJob, slice: number): ChunkSliceResult {
  const { fields, dest, targets, identity } = job;
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
  for (let ch = 0; ch < job.ids.length; ch++) {
    const base = job.base[ch]!;
    const kept = job.kept[ch]!;
    if (kept === 0) continue;
    const rows = job.rows[ch]!;
    const blobs = select.get(job.ids[ch]) as Uint8Array[] | undefined;
    if (!blobs) return { slice, ok: false, message: `record chunk ${job.ids[ch]} is gone` };
    // A chunk that keeps every record in read order lands in one piece at its first record's place.
    const at = identity && kept === rows ? dest[base]! : -1;
    for (let g = 0; g < group.length; g++) {
      const f = group[g]!;
      const mapper = mappers[g];
      if (!mapper) {
        placeNumbers(blobs[g]!, f < 0 ? targets.probability : targets.numbers[numberIndex[f]!]!, dest, base, rows, at);
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
    const placed = placeRecords(db, candidates, filter, memory);
    const targets = allocateTargets(fields, placed.count, memory);
    targets.ts.set(placed.ts);
    const slices =
      threads > 1 && placed.count >= minRows ? Math.min(threads * SLICES_PER_THREAD, fields.length + 1) : 1;
    const job: ChunkPlaceJob = {
      file: db.name,
      fields: [...fields],
      ids: candidates.map((head) => head.id),
      rows: candidates.map((head) => head.rows),
      base: [...placed.base],
      kept: [...placed.kept],
      groups: fieldGroups(fields, slices),
      dest: placed.dest,
      targets,
      identity: placed.identity,
      control: new Int32Array(new SharedArrayBuffer(8)),
    };
    const results =
      job.groups.length > 1 && parallel
        ? parallel.placeChunks(job, (s) => placeChunkSlice(db, job, s))
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
        if (labels.length > 1) renumberUnseen(targets.codes[c]!, known[c]!, labels);
      });
    }
    return toColumnData(fields, targets, placed.count, unseen);
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
function placeNumbers(
  blob: Uint8Array,
  target: Float64Array,
  dest: Int32Array,
  base: number,
  rows: number,
  at: number,
) {
  if (at >= 0) {
    copyNumbers(blob, target, at);
    return;
  }
  const values = numberView(blob);
  for (let i = 0; i < rows; i++) {
    const d = dest[base + i]!;
    if (d >= 0) target[d] = values[i]!;
  }
}
