/**
 * Moves the records of a store written before the column chunks (migrations 0001–0006) into the chunk layout:
 * migration 0007 renames their table to predictions_wave1; this copies it, a page of ids at a time, into narrow rows
 * and chunks with the same ids, then drops it, all in one transaction, so an interrupted conversion is simply run
 * again at the next open. Rollups, sketches, quarantine and the rest do not change.
 */
import type Database from 'better-sqlite3';
import { FLAT_COLUMNS, type FlatRow } from '../core/ingest/flat-record.ts';
import { CHUNK_ROWS } from './chunk-format.ts';
import { chunkParams, INSERT_CHUNK, ROW_COLUMNS } from './chunk-writer.ts';
import { hasTable } from './migrate.ts';

const LEGACY = 'predictions_wave1';
const quote = (name: string): string => `"${name}"`;

export function hasWave1Records(db: Database.Database): boolean {
  return hasTable(db, LEGACY);
}

/** Converts the wave-1 table when there is one; returns the records moved. */
export function convertWave1(db: Database.Database): number {
  if (!hasWave1Records(db)) return 0;
  return db.transaction(() => {
    const page = db
      .prepare(
        `SELECT id, source_id, ${FLAT_COLUMNS.map(quote).join(', ')} FROM ${LEGACY} WHERE id > ? ORDER BY id LIMIT ?`,
      )
      .raw();
    const insertRow = db.prepare(
      `INSERT INTO prediction_rows (id, ${ROW_COLUMNS.map(quote).join(', ')})
       VALUES (${['id', ...ROW_COLUMNS].map(() => '?').join(', ')})`,
    );
    const insertChunk = db.prepare(INSERT_CHUNK);
    const flatIndex = ROW_COLUMNS.map((name) => FLAT_COLUMNS.indexOf(name));
    let chunkId = db.prepare('SELECT coalesce(max(id), 0) FROM record_chunks').pluck().get() as number;
    let last = 0;
    let moved = 0;
    for (;;) {
      const read = page.all(last, CHUNK_ROWS) as unknown[][];
      if (read.length === 0) break;
      let start = 0;
      while (start < read.length) {
        // A chunk holds consecutive ids: cut the page where ids jump.
        let end = start + 1;
        while (end < read.length && (read[end]![0] as number) === (read[end - 1]![0] as number) + 1) end++;
        chunkId++;
        const rows: FlatRow[] = [];
        for (let i = start; i < end; i++) {
          const stored = read[i]!;
          const flat = stored.slice(2);
          rows.push(flat);
          const values = flatIndex.map((at) => (at >= 0 ? flat[at] : null));
          values[ROW_COLUMNS.indexOf('source_id')] = stored[1];
          values[ROW_COLUMNS.indexOf('chunk_id')] = chunkId;
          insertRow.run(stored[0], ...values);
        }
        const members = rows.map((_, i) => i);
        insertChunk.run(chunkParams(chunkId, read[start]![0] as number, rows, members));
        moved += rows.length;
        start = end;
      }
      last = read[read.length - 1]![0] as number;
    }
    db.exec(`DROP TABLE ${LEGACY}`);
    return moved;
  })();
}
