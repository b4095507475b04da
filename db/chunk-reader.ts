/**
 * Reads the applicant columns of a period straight from the record chunks (migration 0007), in two passes inside one
 * snapshot. The first (chunk-placement.ts) skips chunks from their statistics and reads only the `ts` and `status`
 * blobs of the others: which records the filter keeps and where each goes in (ts, id) order (`dest`). The second
 * reads the field blobs and writes each value straight to its place: a memory copy per blob when a whole chunk keeps
 * its place, else one indexed store per value; no column is sorted after the read. With a ParallelReader and a large
 * period, the second pass is cut into slices of chunks that this thread and a worker (column-worker.ts, its own
 * read-only connection; chunks are never changed once written) take in turn, writing into shared memory.
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
/** Slices per thread of the second pass: enough that a late or slow thread takes fewer. */
const SLICES_PER_THREAD = 6;

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
  /** Slice s is the chunks [sliceStarts[s], sliceStarts[s + 1]). */
  sliceStarts: number[];
  dest: Int32Array;
  targets: ColumnTargets;
  /** Whether the answer's order is the read order (whole chunks are then copied in one piece). */
  identity: boolean;
  /** [next slice to claim, slices done]. */
  control: Int32Array;
}

/** One slice's labels outside the schema, per category field, numbered from the schema's end in this list's order. */
export type ChunkSliceResult = { slice: number } & ({ ok: true; unseen: string[][] } | { ok: false; message: string });

/** The second pass over one slice: every field blob of its chunks, written to the records' places. */
export function placeChunkSlice(db: Database.Database, job: ChunkPlaceJob, slice: number): ChunkSliceResult {
  const { fields, dest, targets, identity } = job;
  const mappers = fields.filter((f) => f.kind === 'category').map((f) => new CategoryMapper(f.categories ?? []));
  const isCategory = fields.map((f) => f.kind === 'category');
  const select = db
    .prepare(
      `SELECT ${['probability', ...fields.map((f) => f.name)].map((c) => `"${c}"`).join(', ')} FROM record_chunks WHERE id = ?`,
    )
    .raw();
  for (let c = job.sliceStarts[slice]!; c < job.sliceStarts[slice + 1]!; c++) {
    const base = job.base[c]!;
    const kept = job.kept[c]!;
    if (kept === 0) continue;
    const rows = job.rows[c]!;
    const blobs = select.get(job.ids[c]) as Uint8Array[] | undefined;
    if (!blobs) return { slice, ok: false, message: `record chunk ${job.ids[c]} is gone` };
    // A chunk that keeps every record in read order lands in one piece at its first record's place.
    const at = identity && kept === rows ? dest[base]! : -1;
    placeNumbers(blobs[0]!, targets.probability, dest, base, rows, at);
    let nf = 0;
    let cf = 0;
    for (let f = 0; f < fields.length; f++) {
      const blob = blobs[f + 1]!;
      if (!isCategory[f]) {
        placeNumbers(blob, targets.numbers[nf++]!, dest, base, rows, at);
        continue;
      }
      const decoded = categoryView(blob);
      const mapper = mappers[cf]!;
      mapper.begin(decoded.labels);
      const target = targets.codes[cf++]!;
      const codes = decoded.codes;
      for (let i = 0; i < rows; i++) {
        const d = dest[base + i]!;
        if (d >= 0) target[d] = mapper.code(codes[i]!);
      }
    }
  }
  return { slice, ok: true, unseen: mappers.map((m) => m.unseen) };
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
    const slices = threads > 1 && placed.count >= minRows ? threads * SLICES_PER_THREAD : 1;
    const sliceStarts: number[] = [];
    for (let s = 0; s <= slices; s++) sliceStarts.push(Math.round((candidates.length * s) / slices));
    const job: ChunkPlaceJob = {
      file: db.name,
      fields: [...fields],
      ids: candidates.map((head) => head.id),
      rows: candidates.map((head) => head.rows),
      base: [...placed.base],
      kept: [...placed.kept],
      sliceStarts,
      dest: placed.dest,
      targets,
      identity: placed.identity,
      control: new Int32Array(new SharedArrayBuffer(8)),
    };
    const results =
      slices > 1 && parallel
        ? parallel.placeChunks(job, (s) => placeChunkSlice(db, job, s))
        : [placeChunkSlice(db, job, 0)];
    const unseen = mergeUnseen(job, results);
    return toColumnData(fields, targets, placed.count, unseen);
  })();
}

/**
 * One list of labels outside the schema per category field: each slice numbered its own from the schema's end, so
 * its codes are rewritten to the merged list; then, unless the records kept their read order, the list is put in
 * the order the sorted records first show its labels.
 */
function mergeUnseen(job: ChunkPlaceJob, results: ChunkSliceResult[]): string[][] {
  const categoryFields = job.fields.filter((f) => f.kind === 'category');
  const unseen = categoryFields.map(() => [] as string[]);
  for (const result of results) {
    if (!result.ok) throw new Error(`cannot read the record chunks: ${result.message}`);
    categoryFields.forEach((field, c) => {
      const local = result.unseen[c]!;
      if (local.length === 0) return;
      const known = (field.categories ?? []).length;
      const merged = unseen[c]!;
      const map = local.map((label) => {
        let k = merged.indexOf(label);
        if (k < 0) k = merged.push(label) - 1;
        return known + k;
      });
      if (map.every((code, k) => code === known + k)) return;
      const codes = job.targets.codes[c]!;
      for (let ch = job.sliceStarts[result.slice]!; ch < job.sliceStarts[result.slice + 1]!; ch++) {
        for (let i = job.base[ch]!; i < job.base[ch]! + job.rows[ch]!; i++) {
          const d = job.dest[i]!;
          if (d >= 0 && codes[d]! >= known) codes[d] = map[codes[d]! - known]!;
        }
      }
    });
  }
  if (!job.identity) {
    categoryFields.forEach((field, c) => {
      if (unseen[c]!.length > 1) renumberUnseen(job.targets.codes[c]!, (field.categories ?? []).length, unseen[c]!);
    });
  }
  return unseen;
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
