/**
 * Builds a store in the wave-1 layout (migrations 0001–0006, one wide `predictions` row per record) with the insert
 * path that layout had: INSERT OR IGNORE of the flat record and its source, rollups counted in the same transaction.
 */
import Database from 'better-sqlite3';
import type { FlatRow } from '../../core/ingest/flat-record.ts';
import { FLAT_COLUMNS } from '../../core/ingest/flat-record.ts';
import { migrate, readMigrations } from '../../db/migrate.ts';
import { COUNTERS, hourCells, readCellValues, RollupBatch, type RollupCell } from '../../db/rollup.ts';
import { SQL } from '../../db/statements.ts';

export const WAVE1_MIGRATIONS = 6;

// Wave 1's rollup writes: read the stored cell, add, replace it, with every histogram count stored.
const cellColumns = `${COUNTERS.join(', ')}, latency_sum, latency_hist, probability_hist`;
const selectCell = (table: string, key: string): string =>
  `SELECT ${cellColumns} FROM ${table} WHERE ${key} = ? AND model_name = ? AND model_version = ?`;
const replaceCell = (table: string, key: string): string =>
  `INSERT OR REPLACE INTO ${table} (${key}, model_name, model_version, ${cellColumns})
   VALUES (${Array(COUNTERS.length + 6)
     .fill('?')
     .join(', ')})`;
const fullBlob = (hist: Uint32Array): Buffer => {
  const blob = Buffer.alloc(hist.length * 4);
  hist.forEach((count, i) => blob.writeUInt32LE(count, i * 4));
  return blob;
};

export class Wave1Store {
  readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    migrate(this.db, readMigrations().slice(0, WAVE1_MIGRATIONS), file);
  }

  addSource(location: string): number {
    const now = Date.now();
    return Number(
      this.db.prepare(SQL.insertSource).run('generator', location, null, null, null, now, now).lastInsertRowid,
    );
  }

  write(
    sourceId: number,
    rows: FlatRow[],
    quarantined: Array<{ lineNo: number; reason: string; detail: string }> = [],
  ): void {
    const columns = [...FLAT_COLUMNS, 'source_id'];
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO predictions (${columns.map((c) => `"${c}"`).join(', ')})
       VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const quarantine = this.db.prepare(SQL.insertQuarantine);
    this.db.transaction(() => {
      const rollup = new RollupBatch();
      for (const row of rows) if (insert.run(...row, sourceId).changes === 1) rollup.addFlat(row);
      const minutes = [...rollup.cells.values()];
      // The hours first: adding the stored counts changes the minute cells.
      const hours = hourCells(minutes);
      this.addCells(minutes, selectCell('rollup_minute', 'minute'), replaceCell('rollup_minute', 'minute'));
      this.addCells(hours, selectCell('rollup_hour', 'hour'), replaceCell('rollup_hour', 'hour'));
      for (const q of quarantined) quarantine.run(sourceId, q.lineNo, q.reason, q.detail, `line ${q.lineNo}`);
    })();
  }

  private addCells(cells: RollupCell[], selectSql: string, upsertSql: string): void {
    const select = this.db.prepare(selectSql).raw();
    const upsert = this.db.prepare(upsertSql);
    for (const cell of cells) {
      const stored = select.get(cell.minute, cell.modelName, cell.modelVersion) as unknown[] | undefined;
      if (stored) readCellValues(cell, stored, 0);
      upsert.run(
        cell.minute,
        cell.modelName,
        cell.modelVersion,
        ...cell.counts,
        cell.latencySum,
        fullBlob(cell.latencyHist),
        fullBlob(cell.probabilityHist),
      );
    }
  }

  close(): void {
    this.db.close();
  }
}
