/**
 * What one record_chunks row holds (migration 0007, db/chunk-format.ts), built from flattened records: the narrow
 * row's columns, the chunk's blob columns, and a chunk's statistics and blobs. Used by the writer and, on the reader
 * thread, by db/prepared-batch.ts.
 */
import { STATUS_CODES } from '../core/analysis/source.ts';
import { APPLICANT_COLUMNS } from '../core/ingest/applicant-columns.ts';
import { BASE_COLUMNS, FLAT_COLUMNS, type FlatRow } from '../core/ingest/flat-record.ts';
import { CategoryEncoder, encodeNumbers } from './chunk-format.ts';

/**
 * The record's columns kept in its chunk only (migration 0008): no reader filters, sorts or joins on them in SQL, and
 * each column less in the narrow row is less work for the single writer. The `predictions` view reads them back.
 */
export const CHUNK_ONLY_COLUMNS: ReadonlyArray<{ name: string; kind: 'number' | 'category' }> = [
  { name: 'replica', kind: 'category' },
  { name: 'route', kind: 'category' },
  { name: 'http_status', kind: 'number' },
  { name: 'model_alias', kind: 'category' },
  { name: 'threshold', kind: 'number' },
  { name: 'latency_queue_ms', kind: 'number' },
  { name: 'error_code', kind: 'category' },
  { name: 'error_json', kind: 'category' },
  { name: 'client', kind: 'category' },
  { name: 'input_extra', kind: 'category' },
];
const CHUNK_ONLY = new Set(CHUNK_ONLY_COLUMNS.map((c) => c.name));

/** Columns of one narrow row, in insert order. */
export const ROW_COLUMNS: readonly string[] = [...BASE_COLUMNS, 'source_id', 'input_extra', 'extra', 'chunk_id'].filter(
  (name) => !CHUNK_ONLY.has(name),
);

/** The chunk columns after the statistics, in record_chunks order. */
export const CHUNK_BLOB_COLUMNS: readonly string[] = [
  'ts',
  'status',
  'probability',
  'model_name',
  'model_version',
  'served_by',
  ...APPLICANT_COLUMNS.map((c) => c.name),
  ...CHUNK_ONLY_COLUMNS.map((c) => c.name),
];

const TS = FLAT_COLUMNS.indexOf('ts');
const STATUS = FLAT_COLUMNS.indexOf('status');
const PROBABILITY = FLAT_COLUMNS.indexOf('probability');
const CATEGORY_FLAT = ['model_name', 'model_version', 'served_by'].map((name) => FLAT_COLUMNS.indexOf(name));
const APPLICANT_FLAT = APPLICANT_COLUMNS.map((c) => FLAT_COLUMNS.indexOf(c.name));
const STATUS_CODE = STATUS_CODES as Record<string, number>;

/** The blob columns after ts, status and probability, in order, with where each reads its value in a FlatRow. */
const BLOB_FLAT: Array<{ kind: 'number' | 'category'; at: number }> = [
  ...CATEGORY_FLAT.map((at) => ({ kind: 'category' as const, at })),
  ...APPLICANT_COLUMNS.map((c, f) => ({ kind: c.kind, at: APPLICANT_FLAT[f]! })),
  ...CHUNK_ONLY_COLUMNS.map((c) => ({ kind: c.kind, at: FLAT_COLUMNS.indexOf(c.name) })),
];

/** The kind of each CHUNK_BLOB_COLUMNS blob. */
export const BLOB_KINDS: ReadonlyArray<'number' | 'status' | 'category'> = [
  'number',
  'status',
  'number',
  ...BLOB_FLAT.map((c) => c.kind),
];
const NUMBER_FLAT = BLOB_FLAT.filter((c) => c.kind === 'number').map((c) => c.at);
const CATEGORY_AT = BLOB_FLAT.filter((c) => c.kind === 'category').map((c) => c.at);

/** Builds the record_chunks parameters of `members` (indices into rows), ids from `firstId`. */
export function chunkParams(chunkId: number, firstId: number, rows: readonly FlatRow[], members: number[]): unknown[] {
  const { stats, blobs } = chunkContent(rows, members);
  return [chunkId, firstId, members.length, ...stats, ...blobs];
}

/** A chunk without its ids: ts_min, ts_max and the status counts, then one blob per CHUNK_BLOB_COLUMNS entry. */
export interface ChunkContent {
  stats: number[];
  blobs: Uint8Array[];
}

/** The statistics and blobs of the chunk of `members` (indices into rows). */
export function chunkContent(rows: readonly FlatRow[], members: readonly number[]): ChunkContent {
  const builder = new ChunkBuilder(members.length);
  for (const m of members) builder.add(rows[m]!);
  return builder.finish();
}

/**
 * Builds one chunk a record at a time, without keeping the records: the reader thread adds each record as it is
 * parsed (db/prepared-batch.ts), and chunkContent adds those of a list.
 */
export class ChunkBuilder {
  private readonly ts: Float64Array;
  private readonly status: Uint8Array;
  private readonly probability: Float64Array;
  private readonly numbers: Float64Array[] = [];
  private readonly categories: CategoryColumn[] = [];
  private readonly statusCounts = [0, 0, 0, 0];
  private tsMin = Infinity;
  private tsMax = -Infinity;
  /** Records added so far. */
  count = 0;

  constructor(private readonly capacity: number) {
    this.ts = new Float64Array(capacity);
    this.status = new Uint8Array(capacity);
    this.probability = new Float64Array(capacity);
    for (const column of BLOB_FLAT) {
      if (column.kind === 'number') this.numbers.push(new Float64Array(capacity));
      else this.categories.push(new CategoryColumn(capacity));
    }
  }

  /** Adds one record (read at once: the array may be reused afterwards). */
  add(row: FlatRow): void {
    const k = this.count++;
    if (k >= this.capacity) throw new RangeError(`a chunk holds at most ${this.capacity} records`);
    const t = row[TS] as number;
    this.ts[k] = t;
    if (t < this.tsMin) this.tsMin = t;
    if (t > this.tsMax) this.tsMax = t;
    const code = STATUS_CODE[row[STATUS] as string] ?? STATUS_CODES.error;
    this.status[k] = code;
    this.statusCounts[code]!++;
    const p = row[PROBABILITY];
    this.probability[k] = typeof p === 'number' ? p : NaN;
    const numbers = this.numbers;
    for (let f = 0; f < NUMBER_FLAT.length; f++) {
      const value = row[NUMBER_FLAT[f]!];
      numbers[f]![k] = typeof value === 'number' ? value : NaN;
    }
    const categories = this.categories;
    for (let f = 0; f < CATEGORY_AT.length; f++) categories[f]!.set(k, row[CATEGORY_AT[f]!]);
  }

  finish(): ChunkContent {
    const n = this.count;
    // Exact copies when the chunk is short: a blob sent to another thread takes its whole buffer along.
    const numbers = (values: Float64Array): Buffer => encodeNumbers(n === this.capacity ? values : values.slice(0, n));
    const blobs: Uint8Array[] = [
      numbers(this.ts),
      Buffer.from((n === this.capacity ? this.status : this.status.slice(0, n)).buffer, 0, n),
      numbers(this.probability),
    ];
    let number = 0;
    let category = 0;
    for (const column of BLOB_FLAT) {
      blobs.push(column.kind === 'number' ? numbers(this.numbers[number++]!) : this.categories[category++]!.encode(n));
    }
    return { stats: [this.tsMin, this.tsMax, ...this.statusCounts], blobs };
  }
}

/** A record's value as a category blob keeps it: a text, the text of another scalar, or null. */
function categoryLabel(value: unknown): string | null {
  return typeof value === 'string' ? value : value === null || value === undefined ? null : String(value);
}

/** The blob of one column's values, in record order, as ChunkBuilder writes that kind of column. */
export function columnBlob(kind: 'number' | 'category', values: readonly unknown[]): Buffer {
  if (kind === 'number') return encodeNumbers(Float64Array.from(values, (v) => (typeof v === 'number' ? v : NaN)));
  const encoder = new CategoryEncoder(values.length);
  values.forEach((value, k) => encoder.set(k, categoryLabel(value)));
  return encoder.encode(values.length);
}

const NONE = Symbol('none');

/** A category column: its encoder, and the last value with its code (records mostly repeat the one before). */
class CategoryColumn {
  private readonly encoder: CategoryEncoder;
  private last: unknown = NONE;
  private lastCode = 0;

  constructor(capacity: number) {
    this.encoder = new CategoryEncoder(capacity);
  }

  set(k: number, value: unknown): void {
    if (value === this.last) {
      this.encoder.codes[k] = this.lastCode;
      return;
    }
    this.encoder.set(k, categoryLabel(value));
    this.last = value;
    this.lastCode = this.encoder.codes[k]!;
  }

  encode(rows: number): Buffer {
    return this.encoder.encode(rows);
  }
}
