/**
 * Reads the applicant columns of a period straight from the record chunks (migration 0007): a chunk outside the
 * period is skipped from its statistics, a chunk wholly inside it is copied blob by blob (a memcpy per number field,
 * a small dictionary lookup per category code), and only a chunk that straddles the filter is picked record by record.
 * The answer is the same as the row reader's (db/column-reader.ts): records in (ts, id) order, schema labels first,
 * then labels outside the schema in the order the sorted records first show them.
 */
import type Database from 'better-sqlite3';
import type { FieldSpec } from '../core/contract/index.ts';
import { STATUS_CODES, type ColumnData, type RecordFilter } from '../core/analysis/source.ts';
import { APPLICANT_COLUMN_KIND } from '../core/ingest/applicant-columns.ts';
import { categoryView, copyNumbers, decodeCategories, decodeNumbers, MISSING_CODE } from './chunk-format.ts';
import { allocateTargets, renumberUnseen, toColumnData } from './column-reader.ts';
import { timeOrder } from './time-order.ts';

interface ChunkHead {
  id: number;
  first_id: number;
  rows: number;
  ts_min: number;
  ts_max: number;
  ok: number;
  invalid: number;
  rejected: number;
  error: number;
}

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

const STATUS_NAMES = ['ok', 'invalid', 'rejected', 'error'] as const;

/**
 * Reads in two passes inside one snapshot. The first reads only the chunks' `ts` and `status` blobs (and the model
 * columns when the filter names a model): it picks the records the filter keeps and works out where each goes in
 * (ts, id) order, as `dest` (-1: left out), by chunk slot. The second reads the field blobs and writes each value
 * straight to its place: a memory copy per blob when a whole chunk keeps its place, else one indexed store per
 * value. No record is copied twice and nothing is sorted after the read.
 */
export function readChunkColumns(
  db: Database.Database,
  filter: RecordFilter,
  fields: readonly FieldSpec[],
): ColumnData {
  return db.transaction(() => {
    const from = filter.from ?? -Infinity;
    const to = filter.to ?? Infinity;
    const statusWanted = new Uint8Array(4).fill(1);
    if (filter.statuses) {
      statusWanted.fill(0);
      for (const status of filter.statuses) statusWanted[STATUS_CODES[status]] = 1;
    }
    const candidates = (
      db
        .prepare(
          'SELECT id, first_id, rows, ts_min, ts_max, ok, invalid, rejected, error FROM record_chunks ORDER BY id',
        )
        .all() as ChunkHead[]
    ).filter(
      (head) =>
        head.ts_max >= from &&
        head.ts_min < to &&
        STATUS_NAMES.some((name, code) => statusWanted[code] && head[name] > 0),
    );
    const placed = placeRecords(db, candidates, filter, statusWanted, from, to);
    const { count, dest, ts, identity } = placed;
    const targets = allocateTargets(fields, count);
    targets.ts.set(ts);
    const mappers = fields.filter((f) => f.kind === 'category').map((f) => new CategoryMapper(f.categories ?? []));
    const isCategory = fields.map((f) => f.kind === 'category');
    const select = db
      .prepare(
        `SELECT ${['probability', ...fields.map((f) => f.name)].map((c) => `"${c}"`).join(', ')} FROM record_chunks WHERE id = ?`,
      )
      .raw();
    for (let c = 0; c < candidates.length; c++) {
      const base = placed.base[c]!;
      const kept = placed.kept[c]!;
      if (kept === 0) continue;
      const rows = candidates[c]!.rows;
      const blobs = select.get(candidates[c]!.id) as Uint8Array[];
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
    const unseen = mappers.map((m) => m.unseen);
    if (!identity) {
      // The mappers met labels outside the schema in read order; the answer numbers them in (ts, id) order.
      const known = fields.filter((f) => f.kind === 'category').map((f) => (f.categories ?? []).length);
      unseen.forEach((labels, c) => {
        if (labels.length > 1) renumberUnseen(targets.codes[c]!, known[c]!, labels);
      });
    }
    return toColumnData(fields, targets, count, unseen);
  })();
}

interface Placement {
  count: number;
  /** Per candidate chunk: the index of its first slot in `dest`, and how many of its records the filter keeps. */
  base: Int32Array;
  kept: Int32Array;
  /** Per slot of every candidate chunk: the record's place in the answer, -1 when the filter leaves it out. */
  dest: Int32Array;
  /** The kept records' times, in the answer's order. */
  ts: Float64Array;
  /** Whether the answer's order is the read order (no record moved). */
  identity: boolean;
}

/** The first pass: which records the filter keeps and where each goes in (ts, id) order. */
function placeRecords(
  db: Database.Database,
  candidates: ChunkHead[],
  filter: RecordFilter,
  statusWanted: Uint8Array,
  from: number,
  to: number,
): Placement {
  const byModel = filter.model !== undefined || filter.servedBy !== undefined;
  const select = db
    .prepare(
      `SELECT ts, status${byModel ? ', model_name, model_version, served_by' : ''} FROM record_chunks WHERE id = ?`,
    )
    .raw();
  const base = new Int32Array(candidates.length);
  const kept = new Int32Array(candidates.length);
  let slots = 0;
  for (let c = 0; c < candidates.length; c++) {
    base[c] = slots;
    slots += candidates[c]!.rows;
  }
  // Read order first: dest holds the kept records' read positions, then their places once sorted.
  const dest = new Int32Array(slots).fill(-1);
  const readTs = new Float64Array(slots);
  const readIds = new Float64Array(slots);
  const slotScratch = new Int32Array(candidates.reduce((most, head) => Math.max(most, head.rows), 0));
  let count = 0;
  for (let c = 0; c < candidates.length; c++) {
    const head = candidates[c]!;
    const blobs = select.get(head.id) as Uint8Array[];
    const times = numberView(blobs[0]!);
    const b = base[c]!;
    const start = count;
    if (wholeChunk(head, statusWanted, from, to) && !byModel) {
      readTs.set(times, count);
      for (let i = 0; i < head.rows; i++) {
        readIds[count] = head.first_id + i;
        dest[b + i] = count++;
      }
    } else {
      const model = byModel ? blobs.slice(2, 5).map(decodeCategories) : null;
      const n = selectSlots(head, times, blobs[1]!, statusWanted, from, to, filter, model, slotScratch);
      for (let k = 0; k < n; k++) {
        const i = slotScratch[k]!;
        readTs[count] = times[i]!;
        readIds[count] = head.first_id + i;
        dest[b + i] = count++;
      }
    }
    kept[c] = count - start;
  }
  const times = readTs.subarray(0, count);
  const ids = readIds.subarray(0, count);
  let identity = true;
  for (let i = 1; i < count && identity; i++) {
    identity = times[i - 1]! < times[i]! || (times[i - 1] === times[i] && ids[i - 1]! < ids[i]!);
  }
  if (identity) return { count, base, kept, dest, ts: times, identity };
  const order = timeOrder(times, ids);
  const place = new Int32Array(count);
  const ts = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    place[order[j]!] = j;
    ts[j] = times[order[j]!]!;
  }
  for (let s = 0; s < slots; s++) if (dest[s]! >= 0) dest[s] = place[dest[s]!]!;
  return { count, base, kept, dest, ts, identity: false };
}

/** A number blob as float64 values: a view of it when aligned, else a copy. */
function numberView(blob: Uint8Array): Float64Array {
  return (blob.byteOffset & 7) === 0
    ? new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength / 8)
    : decodeNumbers(blob);
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

/** The slots of a chunk the filter keeps, into `keep`; answers how many. */
function selectSlots(
  head: Pick<ChunkHead, 'rows'>,
  times: Float64Array,
  status: Uint8Array,
  statusWanted: Uint8Array,
  from: number,
  to: number,
  filter: RecordFilter,
  model: ReturnType<typeof decodeCategories>[] | null,
  keep: Int32Array,
): number {
  const nameCode = model ? codeOf(model[0]!.labels, filter.model?.name) : 0;
  const versionCode = model ? codeOf(model[1]!.labels, filter.model?.version) : 0;
  const servedCode = model ? codeOf(model[2]!.labels, filter.servedBy) : 0;
  let n = 0;
  for (let i = 0; i < head.rows; i++) {
    const t = times[i]!;
    if (t < from || t >= to || !statusWanted[status[i]!]) continue;
    if (model) {
      if (nameCode !== null && (nameCode === -1 || model[0]!.codes[i] !== nameCode)) continue;
      if (versionCode !== null && (versionCode === -1 || model[1]!.codes[i] !== versionCode)) continue;
      if (servedCode !== null && (servedCode === -1 || model[2]!.codes[i] !== servedCode)) continue;
    }
    keep[n++] = i;
  }
  return n;
}

/** The chunk code of `label` (-1: not in the chunk), or null when the filter does not ask for one. */
function codeOf(labels: string[], label: string | undefined): number | null {
  if (label === undefined) return null;
  return labels.indexOf(label);
}

/** Whether the chunk's statistics alone show that the filter's time and status keep every record. */
function wholeChunk(head: ChunkHead, statusWanted: Uint8Array, from: number, to: number): boolean {
  return (
    head.ts_min >= from &&
    head.ts_max < to &&
    STATUS_NAMES.every((name, code) => statusWanted[code] || head[name] === 0)
  );
}
