/**
 * Writes records in the column-chunk layout (migration 0007): one narrow `prediction_rows` row per new record
 * (INSERT OR IGNORE on request_id keeps out the duplicates), then one `record_chunks` row holding the applicant
 * fields (and the columns a read filters on) of the records that piece inserted, as typed blobs. Runs inside the
 * caller's write transaction; new rows get max(id)+1, so the records one piece inserts have consecutive ids and the
 * chunk only records the first.
 */
import type Database from 'better-sqlite3';
import { STATUS_CODES } from '../core/analysis/source.ts';
import { APPLICANT_COLUMNS } from '../core/ingest/applicant-columns.ts';
import { BASE_COLUMNS, FLAT_COLUMNS, type FlatRow } from '../core/ingest/flat-record.ts';
import { CategoryEncoder, CHUNK_ROWS, encodeNumbers } from './chunk-format.ts';
import { StoreError } from './errors.ts';
import { NARROW_REQUEST_ID, NARROW_WIDTH, narrowRollup, subsetChunk, type PreparedBatch } from './prepared-batch.ts';
import type { RollupCell } from './rollup.ts';

/** Columns of one narrow row, in insert order. */
export const ROW_COLUMNS: readonly string[] = [...BASE_COLUMNS, 'source_id', 'input_extra', 'extra', 'chunk_id'];
/** Where each narrow column's value sits in a FlatRow (-1: source_id and chunk_id, given by the writer). */
const FLAT_INDEX = ROW_COLUMNS.map((name) => FLAT_COLUMNS.indexOf(name));
const SOURCE_AT = ROW_COLUMNS.indexOf('source_id');
const CHUNK_AT = ROW_COLUMNS.indexOf('chunk_id');
const ROWS_PER_INSERT = 32;
/** Where each narrow column's value sits in a prepared narrow record (-1: source_id and chunk_id). */
const NARROW_INDEX = ROW_COLUMNS.map((name) => [...BASE_COLUMNS, 'input_extra', 'extra'].indexOf(name));

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

const quote = (name: string): string => `"${name}"`;
const placeholders = (n: number): string => `(${Array(n).fill('?').join(', ')})`;
const INSERT_ROWS = `INSERT OR IGNORE INTO prediction_rows (${ROW_COLUMNS.map(quote).join(', ')}) VALUES`;
const CHUNK_COLUMNS = ['id', 'first_id', 'rows', 'ts_min', 'ts_max', 'ok', 'invalid', 'rejected', 'error'];
export const INSERT_CHUNK = `INSERT INTO record_chunks (${[...CHUNK_COLUMNS, ...CHUNK_BLOB_COLUMNS].map(quote).join(', ')})
  VALUES ${placeholders(CHUNK_COLUMNS.length + CHUNK_BLOB_COLUMNS.length)}`;

const TS = FLAT_COLUMNS.indexOf('ts');
const STATUS = FLAT_COLUMNS.indexOf('status');
const PROBABILITY = FLAT_COLUMNS.indexOf('probability');
const REQUEST_ID = FLAT_COLUMNS.indexOf('request_id');
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
    blobs: [encodeNumbers(ts), Buffer.from(status.buffer, 0, n), encodeNumbers(probability), ...categories, ...applicant],
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

export class ChunkWriter {
  private readonly insertMany: Database.Statement;
  private readonly insertOne: Database.Statement;
  private readonly insertChunk: Database.Statement;
  private readonly maxRowId: Database.Statement;
  private readonly maxChunkId: Database.Statement;
  private readonly requestIdsAfter: Database.Statement;
  private readonly params = new Array<unknown>(ROW_COLUMNS.length * ROWS_PER_INSERT);
  private readonly single = new Array<unknown>(ROW_COLUMNS.length);

  constructor(db: Database.Database) {
    const row = placeholders(ROW_COLUMNS.length);
    this.insertMany = db.prepare(`${INSERT_ROWS} ${Array(ROWS_PER_INSERT).fill(row).join(', ')}`);
    this.insertOne = db.prepare(`${INSERT_ROWS} ${row}`);
    this.insertChunk = db.prepare(INSERT_CHUNK);
    this.maxRowId = db.prepare('SELECT coalesce(max(id), 0) FROM prediction_rows').pluck();
    this.maxChunkId = db.prepare('SELECT coalesce(max(id), 0) FROM record_chunks').pluck();
    this.requestIdsAfter = db.prepare('SELECT request_id FROM prediction_rows WHERE id > ? ORDER BY id').pluck();
  }

  /**
   * Inserts the new records of `rows` (inside a transaction) and returns the indices of those inserted, in order.
   */
  write(rows: readonly FlatRow[], sourceId: number): number[] {
    const inserted: number[] = [];
    let lastId = this.maxRowId.get() as number;
    let chunkId = this.maxChunkId.get() as number;
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const end = Math.min(rows.length, start + CHUNK_ROWS);
      chunkId++;
      const changes = this.insertPiece(rows, start, end, sourceId, chunkId);
      if (changes === 0) continue;
      const maxId = this.maxRowId.get() as number;
      if (maxId - lastId !== changes) {
        throw new StoreError(`the store's record ids are not consecutive after id ${lastId}; run vigie on a copy`);
      }
      const members = changes === end - start ? range(start, end) : this.membersAfter(rows, start, end, lastId);
      this.insertChunk.run(chunkParams(chunkId, lastId + 1, rows, members));
      for (const m of members) inserted.push(m);
      lastId = maxId;
    }
    return inserted;
  }

  private insertPiece(rows: readonly FlatRow[], start: number, end: number, sourceId: number, chunkId: number): number {
    const width = ROW_COLUMNS.length;
    const params = this.params;
    let changes = 0;
    let i = start;
    for (; i + ROWS_PER_INSERT <= end; i += ROWS_PER_INSERT) {
      for (let k = 0; k < ROWS_PER_INSERT; k++) fill(params, k * width, rows[i + k]!, sourceId, chunkId);
      changes += this.insertMany.run(params).changes;
    }
    for (; i < end; i++) {
      fill(this.single, 0, rows[i]!, sourceId, chunkId);
      changes += this.insertOne.run(this.single).changes;
    }
    return changes;
  }

  /**
   * Inserts the new records of a prepared batch (inside a transaction): its chunks as built on the reader thread when
   * a piece had no duplicate, else cut down to the inserted records. Returns how many were inserted and their rollup
   * cells.
   */
  writePrepared(batch: PreparedBatch, sourceId: number): { inserted: number; cells: RollupCell[] } {
    let inserted = 0;
    const members: number[] = [];
    let lastId = this.maxRowId.get() as number;
    let chunkId = this.maxChunkId.get() as number;
    let start = 0;
    for (const piece of batch.pieces) {
      const end = start + piece.rows;
      chunkId++;
      const changes = this.insertNarrow(batch.narrow, start, end, sourceId, chunkId);
      if (changes > 0) {
        const maxId = this.maxRowId.get() as number;
        if (maxId - lastId !== changes) {
          throw new StoreError(`the store's record ids are not consecutive after id ${lastId}; run vigie on a copy`);
        }
        let chunk = piece.chunk;
        if (changes === piece.rows) {
          for (let i = start; i < end; i++) members.push(i);
        } else {
          const ids = (index: number): string => batch.narrow[index * NARROW_WIDTH + NARROW_REQUEST_ID] as string;
          const pieceMembers = this.membersOf(ids, start, end, lastId);
          chunk = subsetChunk(
            chunk,
            pieceMembers.map((m) => m - start),
          );
          for (const m of pieceMembers) members.push(m);
        }
        this.insertChunk.run([chunkId, lastId + 1, changes, ...chunk.stats, ...chunk.blobs]);
        inserted += changes;
        lastId = maxId;
      }
      start = end;
    }
    // The batch's cells count every record; with duplicates, count again the inserted ones only, in the same order.
    const cells = inserted === batch.count ? batch.cells : narrowRollup(batch, members);
    return { inserted, cells };
  }

  private insertNarrow(narrow: unknown[], start: number, end: number, sourceId: number, chunkId: number): number {
    const width = ROW_COLUMNS.length;
    const params = this.params;
    let changes = 0;
    let i = start;
    for (; i + ROWS_PER_INSERT <= end; i += ROWS_PER_INSERT) {
      for (let k = 0; k < ROWS_PER_INSERT; k++) fillNarrow(params, k * width, narrow, (i + k) * NARROW_WIDTH, sourceId, chunkId);
      changes += this.insertMany.run(params).changes;
    }
    for (; i < end; i++) {
      fillNarrow(this.single, 0, narrow, i * NARROW_WIDTH, sourceId, chunkId);
      changes += this.insertOne.run(this.single).changes;
    }
    return changes;
  }

  /** Which rows of [start, end) were inserted after id `lastId`: the first of each request id, read back. */
  private membersAfter(rows: readonly FlatRow[], start: number, end: number, lastId: number): number[] {
    return this.membersOf((i) => rows[i]![REQUEST_ID] as string, start, end, lastId);
  }

  private membersOf(requestId: (index: number) => string, start: number, end: number, lastId: number): number[] {
    const first = new Map<string, number>();
    for (let i = start; i < end; i++) {
      const id = requestId(i);
      if (!first.has(id)) first.set(id, i);
    }
    return (this.requestIdsAfter.all(lastId) as string[]).map((id) => {
      const index = first.get(id);
      if (index === undefined) throw new StoreError(`record ${id.slice(0, 64)} was stored by another writer meanwhile`);
      return index;
    });
  }
}

function fill(params: unknown[], base: number, row: FlatRow, sourceId: number, chunkId: number): void {
  for (let c = 0; c < FLAT_INDEX.length; c++) params[base + c] = row[FLAT_INDEX[c]!];
  params[base + SOURCE_AT] = sourceId;
  params[base + CHUNK_AT] = chunkId;
}

function fillNarrow(
  params: unknown[],
  base: number,
  narrow: unknown[],
  from: number,
  sourceId: number,
  chunkId: number,
): void {
  for (let c = 0; c < NARROW_INDEX.length; c++) params[base + c] = narrow[from + NARROW_INDEX[c]!];
  params[base + SOURCE_AT] = sourceId;
  params[base + CHUNK_AT] = chunkId;
}

function range(start: number, end: number): number[] {
  const out = new Array<number>(end - start);
  for (let i = start; i < end; i++) out[i - start] = i;
  return out;
}
