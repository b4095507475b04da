/**
 * What one record_chunks row holds (migration 0007, db/chunk-format.ts), built from flattened records: the narrow
 * row's columns, the chunk's blob columns, and a chunk's statistics and blobs. Used by the writer and, on the reader
 * thread, by db/prepared-batch.ts.
 */
import { STATUS_CODES } from '../core/analysis/source.ts';
import { APPLICANT_COLUMNS } from '../core/ingest/applicant-columns.ts';
import { BASE_COLUMNS, FLAT_COLUMNS, type FlatRow } from '../core/ingest/flat-record.ts';
import { CategoryEncoder, encodeNumbers } from './chunk-format.ts';

/** Columns of one narrow row, in insert order. */
export const ROW_COLUMNS: readonly string[] = [...BASE_COLUMNS, 'source_id', 'input_extra', 'extra', 'chunk_id'];

/** The chunk columns after the statistics, in record_chunks order. */
export const CHUNK_BLOB_COLUMNS: readonly string[] = [
  'ts',
  'status',
  'probability',
  'model_name',
  'model_version',
  'served_by',
  ...APPLICANT_COLUMNS.map((c) => c.name),
];

const TS = FLAT_COLUMNS.indexOf('ts');
const STATUS = FLAT_COLUMNS.indexOf('status');
const PROBABILITY = FLAT_COLUMNS.indexOf('probability');
const CATEGORY_FLAT = ['model_name', 'model_version', 'served_by'].map((name) => FLAT_COLUMNS.indexOf(name));
const APPLICANT_FLAT = APPLICANT_COLUMNS.map((c) => FLAT_COLUMNS.indexOf(c.name));
const STATUS_CODE = STATUS_CODES as Record<string, number>;

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
  const n = members.length;
  const ts = new Float64Array(n);
  const status = new Uint8Array(n);
  const probability = new Float64Array(n);
  const statusCounts = [0, 0, 0, 0];
  let tsMin = Infinity;
  let tsMax = -Infinity;
  for (let k = 0; k < n; k++) {
    const row = rows[members[k]!]!;
    const t = row[TS] as number;
    ts[k] = t;
    if (t < tsMin) tsMin = t;
    if (t > tsMax) tsMax = t;
    const code = STATUS_CODE[row[STATUS] as string] ?? STATUS_CODES.error;
    status[k] = code;
    statusCounts[code]!++;
    const p = row[PROBABILITY];
    probability[k] = typeof p === 'number' ? p : NaN;
  }
  const categories = CATEGORY_FLAT.map((at) => categoryBlob(rows, members, at));
  const applicant = APPLICANT_COLUMNS.map((column, f) =>
    column.kind === 'number'
      ? numberBlob(rows, members, APPLICANT_FLAT[f]!)
      : categoryBlob(rows, members, APPLICANT_FLAT[f]!),
  );
  return {
    stats: [tsMin, tsMax, ...statusCounts],
    blobs: [
      encodeNumbers(ts),
      Buffer.from(status.buffer, 0, n),
      encodeNumbers(probability),
      ...categories,
      ...applicant,
    ],
  };
}

function numberBlob(rows: readonly FlatRow[], members: readonly number[], at: number): Buffer {
  const values = new Float64Array(members.length);
  for (let k = 0; k < members.length; k++) {
    const value = rows[members[k]!]![at];
    values[k] = typeof value === 'number' ? value : NaN;
  }
  return encodeNumbers(values);
}

function categoryBlob(rows: readonly FlatRow[], members: readonly number[], at: number): Buffer {
  const encoder = new CategoryEncoder(members.length);
  for (let k = 0; k < members.length; k++) {
    const value = rows[members[k]!]![at];
    encoder.set(k, typeof value === 'string' ? value : value === null || value === undefined ? null : String(value));
  }
  return encoder.encode(members.length);
}
