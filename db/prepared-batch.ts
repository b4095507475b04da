/**
 * A write batch prepared away from the writing thread (docs/decisions/1611-ingest-on-two-cores.md): the reader
 * thread turns its flattened records into what the single SQLite writer binds, and no more — the narrow rows' values
 * in one flat array, and per piece of CHUNK_ROWS records the finished chunk (statistics and typed blobs), and the
 * batch's rollup cells, all assuming every record is new. Everything in it survives a structured clone
 * cheaply (one array of primitives, typed arrays, a few hundred small cells), where the records themselves did not.
 * When a piece turns out to hold duplicates, the writer cuts its chunk and rollup down to the inserted records
 * (subsetChunk, narrowRollup), so the store is the same as the one `rows` would have written.
 */
import type { FlatRow } from '../core/ingest/flat-record.ts';
import { APPLICANT_COLUMNS } from '../core/ingest/applicant-columns.ts';
import { BASE_COLUMNS, FLAT_COLUMNS } from '../core/ingest/flat-record.ts';
import { CategoryEncoder, CHUNK_ROWS, decodeCategories, decodeNumbers, encodeNumbers } from './chunk-format.ts';
import { chunkContent, type ChunkContent } from './chunk-writer.ts';
import { RollupBatch, type RollupCell } from './rollup.ts';

export interface PreparedPiece {
  /** Records of this piece (consecutive, in batch order). */
  rows: number;
  chunk: ChunkContent;
}

export interface PreparedBatch {
  /** Records in the batch. */
  count: number;
  /** NARROW_WIDTH values per record (NARROW_FLAT_INDEX order), records one after the other. */
  narrow: unknown[];
  pieces: PreparedPiece[];
  /** The rollup cells of the whole batch (summed in record order, as the writer sums `rows`). */
  cells: RollupCell[];
}

/** Where each value of a narrow record sits in a FlatRow: the base columns, then input_extra and extra. */
export const NARROW_FLAT_INDEX = [...BASE_COLUMNS, 'input_extra', 'extra'].map((name) => FLAT_COLUMNS.indexOf(name));
export const NARROW_WIDTH = NARROW_FLAT_INDEX.length;
/** Where request_id sits among a record's narrow values. */
export const NARROW_REQUEST_ID = BASE_COLUMNS.indexOf('request_id');

/** Runs on the reader thread: the prepared form of `rows` (the module the store names as its batch preparer). */
export function prepareRows(rows: readonly FlatRow[]): PreparedBatch {
  const narrow = new Array<unknown>(rows.length * NARROW_WIDTH);
  for (let i = 0, at = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let c = 0; c < NARROW_WIDTH; c++) narrow[at++] = row[NARROW_FLAT_INDEX[c]!];
  }
  const pieces: PreparedPiece[] = [];
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const end = Math.min(rows.length, start + CHUNK_ROWS);
    const members = Array.from({ length: end - start }, (_, k) => start + k);
    pieces.push({ rows: end - start, chunk: chunkContent(rows, members) });
  }
  const rollup = new RollupBatch();
  for (const row of rows) rollup.addFlat(row);
  return { count: rows.length, narrow, pieces, cells: [...rollup.cells.values()] };
}

/** True for what prepareRows returned (after a structured clone). */
export function isPreparedBatch(value: unknown): value is PreparedBatch {
  const batch = value as Partial<PreparedBatch> | null;
  return typeof batch === 'object' && batch !== null && Array.isArray(batch.narrow) && Array.isArray(batch.pieces);
}

const BLOB_KINDS: ReadonlyArray<'number' | 'status' | 'category'> = [
  'number',
  'status',
  'number',
  'category',
  'category',
  'category',
  ...APPLICANT_COLUMNS.map((c) => c.kind),
];

/** The chunk of only the records at `members` (indices within the piece), as chunkContent would build it. */
export function subsetChunk(chunk: ChunkContent, members: readonly number[]): ChunkContent {
  const n = members.length;
  const blobs = chunk.blobs.map((blob, b) => {
    const kind = BLOB_KINDS[b]!;
    if (kind === 'status') return Buffer.from(Uint8Array.from(members, (m) => blob[m]!));
    if (kind === 'number') {
      const values = decodeNumbers(blob);
      return encodeNumbers(Float64Array.from(members, (m) => values[m]!));
    }
    const { labels, codes } = decodeCategories(blob);
    const encoder = new CategoryEncoder(n);
    members.forEach((m, k) => encoder.set(k, codes[m] === 0xffff ? null : labels[codes[m]!]!));
    return encoder.encode(n);
  });
  const ts = new Float64Array(blobs[0]!.buffer, blobs[0]!.byteOffset, n);
  const status = blobs[1]!;
  const counts = [0, 0, 0, 0];
  let tsMin = Infinity;
  let tsMax = -Infinity;
  for (let k = 0; k < n; k++) {
    if (ts[k]! < tsMin) tsMin = ts[k]!;
    if (ts[k]! > tsMax) tsMax = ts[k]!;
    counts[status[k]! & 3]!++;
  }
  return { stats: [tsMin, tsMax, ...counts], blobs };
}

/** The rollup cells of the records at `members` (record indices within the batch), from their narrow values. */
export function narrowRollup(batch: PreparedBatch, members: readonly number[]): RollupCell[] {
  const rollup = new RollupBatch();
  const row = new Array<unknown>(NARROW_WIDTH);
  for (const m of members) {
    for (let c = 0; c < NARROW_WIDTH; c++) row[c] = batch.narrow[m * NARROW_WIDTH + c];
    rollup.addFlat(row);
  }
  return [...rollup.cells.values()];
}
