/**
 * Moves the records of a store written with migration 0007's rows into migration 0008's narrower ones: 0008 renames
 * the table to prediction_rows_0007; this writes each chunk's blobs of the columns that left the row (read from the
 * old rows, by id, a chunk at a time), copies the remaining columns into the new table with the same ids, then drops
 * the old table, all in one transaction, so an interrupted conversion is simply run again at the next open.
 */
import type Database from 'better-sqlite3';
import { CHUNK_ONLY_COLUMNS, columnBlob, ROW_COLUMNS } from './chunk-content.ts';
import { StoreError } from './errors.ts';
import { hasTable } from './migrate.ts';

const OLD = 'prediction_rows_0007';
const quote = (name: string): string => `"${name}"`;

export function hasRows0007(db: Database.Database): boolean {
  return hasTable(db, OLD);
}

/** Converts the 0007 table when there is one; returns the records moved. */
export function convertRows0007(db: Database.Database): number {
  if (!hasRows0007(db)) return 0;
  return db.transaction(() => {
    const chunks = db.prepare('SELECT id, first_id, rows FROM record_chunks ORDER BY id').raw().all() as number[][];
    const read = db
      .prepare(
        `SELECT ${CHUNK_ONLY_COLUMNS.map((c) => quote(c.name)).join(', ')} FROM ${OLD}
         WHERE id BETWEEN ? AND ? ORDER BY id`,
      )
      .raw();
    const update = db.prepare(
      `UPDATE record_chunks SET ${CHUNK_ONLY_COLUMNS.map((c) => `${quote(c.name)} = ?`).join(', ')} WHERE id = ?`,
    );
    for (const [chunkId, firstId, rows] of chunks as Array<[number, number, number]>) {
      const values = read.all(firstId, firstId + rows - 1) as unknown[][];
      if (values.length !== rows) {
        throw new StoreError(`chunk ${chunkId} holds ${rows} records but the store has ${values.length} of them`);
      }
      update.run(
        ...CHUNK_ONLY_COLUMNS.map((column, c) =>
          columnBlob(
            column.kind,
            values.map((row) => row[c]),
          ),
        ),
        chunkId,
      );
    }
    const columns = ['id', ...ROW_COLUMNS].map(quote).join(', ');
    const moved = db.prepare(`INSERT INTO prediction_rows (${columns}) SELECT ${columns} FROM ${OLD}`).run().changes;
    db.exec(`DROP TABLE ${OLD}`);
    return moved;
  })();
}
