/**
 * Writes records in the column-chunk layout (migrations 0007 and 0008): one narrow `prediction_rows` row per new
 * record (INSERT OR IGNORE on request_id keeps out the duplicates), then one `record_chunks` row holding the applicant
 * fields, the columns a read filters on and the columns kept only there (CHUNK_ONLY_COLUMNS) of the records that
 * piece inserted, as typed blobs. Runs inside the
 * caller's write transaction; new rows get max(id)+1, so the records one piece inserts have consecutive ids and the
 * chunk only records the first.
 */
import type Database from 'better-sqlite3';
import { FLAT_COLUMNS, type FlatRow } from '../core/ingest/flat-record.ts';
import { CHUNK_ROWS } from './chunk-format.ts';
import { CHUNK_BLOB_COLUMNS, chunkParams, ROW_COLUMNS } from './chunk-content.ts';
import { StoreError } from './errors.ts';
import { fillRow, narrowRequestId, narrowRollup, subsetChunk, type PreparedBatch } from './prepared-batch.ts';
import { unpackCells, type RollupCell } from './rollup.ts';

export { CHUNK_BLOB_COLUMNS, chunkParams, ROW_COLUMNS };
/** Where each narrow column's value sits in a FlatRow (-1: source_id and chunk_id, given by the writer). */
const FLAT_INDEX = ROW_COLUMNS.map((name) => FLAT_COLUMNS.indexOf(name));
const SOURCE_AT = ROW_COLUMNS.indexOf('source_id');
const CHUNK_AT = ROW_COLUMNS.indexOf('chunk_id');
const ROWS_PER_INSERT = 32;
const REQUEST_ID = FLAT_COLUMNS.indexOf('request_id');

const quote = (name: string): string => `"${name}"`;
const placeholders = (n: number): string => `(${Array(n).fill('?').join(', ')})`;
const INSERT_ROWS = `INSERT OR IGNORE INTO prediction_rows (${ROW_COLUMNS.map(quote).join(', ')}) VALUES`;
const CHUNK_COLUMNS = ['id', 'first_id', 'rows', 'ts_min', 'ts_max', 'ok', 'invalid', 'rejected', 'error'];
export const INSERT_CHUNK = `INSERT INTO record_chunks (${[...CHUNK_COLUMNS, ...CHUNK_BLOB_COLUMNS].map(quote).join(', ')})
  VALUES ${placeholders(CHUNK_COLUMNS.length + CHUNK_BLOB_COLUMNS.length)}`;

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
      const changes = this.insertNarrow(batch, start, end, sourceId, chunkId);
      if (changes > 0) {
        const maxId = this.maxRowId.get() as number;
        if (maxId - lastId !== changes) {
          throw new StoreError(`the store's record ids are not consecutive after id ${lastId}; run vigie on a copy`);
        }
        let chunk = piece.chunk;
        if (changes === piece.rows) {
          for (let i = start; i < end; i++) members.push(i);
        } else {
          const pieceMembers = this.membersOf((i) => narrowRequestId(batch, i), start, end, lastId);
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
    const cells = inserted === batch.count ? unpackCells(batch.cells) : narrowRollup(batch, members);
    return { inserted, cells };
  }

  private insertNarrow(batch: PreparedBatch, start: number, end: number, sourceId: number, chunkId: number): number {
    const width = ROW_COLUMNS.length;
    const params = this.params;
    let changes = 0;
    let i = start;
    for (; i + ROWS_PER_INSERT <= end; i += ROWS_PER_INSERT) {
      for (let k = 0; k < ROWS_PER_INSERT; k++) fillRow(params, k * width, batch, i + k, sourceId, chunkId);
      changes += this.insertMany.run(params).changes;
    }
    for (; i < end; i++) {
      fillRow(this.single, 0, batch, i, sourceId, chunkId);
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

function range(start: number, end: number): number[] {
  const out = new Array<number>(end - start);
  for (let i = start; i < end; i++) out[i - start] = i;
  return out;
}
