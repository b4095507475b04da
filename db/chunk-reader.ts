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
import { putInTimeOrder } from './time-order.ts';

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

export function readChunkColumns(
  db: Database.Database,
  filter: RecordFilter,
  fields: readonly FieldSpec[],
): ColumnData {
  return db.transaction(() => {
    const from = filter.from ?? -Infinity;
    const to = filter.to ?? Infinity;
    const heads = (
      db
        .prepare(
          'SELECT id, first_id, rows, ts_min, ts_max, ok, invalid, rejected, error FROM record_chunks ORDER BY id',
        )
        .all() as ChunkHead[]
    ).filter((head) => head.ts_max >= from && head.ts_min < to);
    const statusWanted = new Uint8Array(4).fill(1);
    if (filter.statuses) {
      statusWanted.fill(0);
      for (const status of filter.statuses) statusWanted[STATUS_CODES[status]] = 1;
    }
    const byModel = filter.model !== undefined || filter.servedBy !== undefined;
    const candidates = heads.filter((head) => STATUS_NAMES.some((name, code) => statusWanted[code] && head[name] > 0));
    const capacity = candidates.reduce((sum, head) => sum + head.rows, 0);
    const targets = allocateTargets(fields, capacity);
    const ids = new Float64Array(capacity);
    const mappers = fields.filter((f) => f.kind === 'category').map((f) => new CategoryMapper(f.categories ?? []));
    const blobColumns = [
      'ts',
      'probability',
      'status',
      ...(byModel ? ['model_name', 'model_version', 'served_by'] : []),
    ];
    const select = db
      .prepare(
        `SELECT ${[...blobColumns, ...fields.map((f) => f.name)].map((c) => `"${c}"`).join(', ')} FROM record_chunks WHERE id = ?`,
      )
      .raw();
    let count = 0;
    for (const head of candidates) {
      const blobs = select.get(head.id) as Uint8Array[];
      const whole = wholeChunk(head, statusWanted, from, to) && !byModel;
      let keep: number[] | null = null;
      if (!whole) {
        const model = byModel ? blobs.slice(3, 6).map(decodeCategories) : null;
        keep = selectSlots(head, decodeNumbers(blobs[0]!), blobs[2]!, statusWanted, from, to, filter, model);
        if (keep.length === 0) continue;
      }
      const n = keep === null ? head.rows : keep.length;
      const fieldBlobs = blobs.slice(blobColumns.length);
      gatherBlob(blobs[0]!, targets.ts, count, keep);
      gatherBlob(blobs[1]!, targets.probability, count, keep);
      let nf = 0;
      let cf = 0;
      fields.forEach((field, f) => {
        const blob = fieldBlobs[f]!;
        if (field.kind !== 'category') {
          gatherBlob(blob, targets.numbers[nf++]!, count, keep);
          return;
        }
        const decoded = categoryView(blob);
        const mapper = mappers[cf]!;
        mapper.begin(decoded.labels);
        const target = targets.codes[cf++]!;
        const codes = decoded.codes;
        if (keep === null) for (let i = 0; i < n; i++) target[count + i] = mapper.code(codes[i]!);
        else for (let i = 0; i < n; i++) target[count + i] = mapper.code(codes[keep[i]!]!);
      });
      if (keep === null) for (let i = 0; i < n; i++) ids[count + i] = head.first_id + i;
      else for (let i = 0; i < n; i++) ids[count + i] = head.first_id + keep[i]!;
      count += n;
    }
    const columns = [targets.ts, targets.probability, ...targets.numbers, ...targets.codes];
    const unseen = mappers.map((m) => m.unseen);
    if (putInTimeOrder(columns, targets.ts, ids, 0, count)) {
      const known = fields.filter((f) => f.kind === 'category').map((f) => (f.categories ?? []).length);
      unseen.forEach((labels, c) => {
        if (labels.length > 1) renumberUnseen(targets.codes[c]!.subarray(0, count), known[c]!, labels);
      });
    }
    return toColumnData(fields, targets, count, unseen);
  })();
}

/** The slots of a chunk the filter keeps. */
function selectSlots(
  head: Pick<ChunkHead, 'rows'>,
  times: Float64Array,
  status: Uint8Array,
  statusWanted: Uint8Array,
  from: number,
  to: number,
  filter: RecordFilter,
  model: ReturnType<typeof decodeCategories>[] | null,
): number[] {
  const nameCode = model ? codeOf(model[0]!.labels, filter.model?.name) : 0;
  const versionCode = model ? codeOf(model[1]!.labels, filter.model?.version) : 0;
  const servedCode = model ? codeOf(model[2]!.labels, filter.servedBy) : 0;
  const keep: number[] = [];
  for (let i = 0; i < head.rows; i++) {
    const t = times[i]!;
    if (t < from || t >= to || !statusWanted[status[i]!]) continue;
    if (model) {
      if (nameCode !== null && (nameCode === -1 || model[0]!.codes[i] !== nameCode)) continue;
      if (versionCode !== null && (versionCode === -1 || model[1]!.codes[i] !== versionCode)) continue;
      if (servedCode !== null && (servedCode === -1 || model[2]!.codes[i] !== servedCode)) continue;
    }
    keep.push(i);
  }
  return keep;
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

function gatherBlob(blob: Uint8Array, target: Float64Array, offset: number, keep: number[] | null): void {
  if (keep === null) {
    copyNumbers(blob, target, offset);
    return;
  }
  const values = decodeNumbers(blob);
  for (let i = 0; i < keep.length; i++) target[offset + i] = values[keep[i]!]!;
}
