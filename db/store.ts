/**
 * The log store: one SQLite file (better-sqlite3, WAL) holding the imported production records, where they came
 * from, the quarantined lines, labels and saved analysis results. It is the IngestTarget `core/ingest` writes to and
 * the RecordSource `core/analysis` reads from.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { ColumnData, OperationalData, RecordFilter, RecordSource, TimeRange } from '../core/analysis/source.ts';
import type { FieldSpec } from '../core/contract/index.ts';
import type { ImportRun, IngestTarget, SourceRow, SourceStatus, WriteBatch } from '../core/ingest/target.ts';
import { readOperational } from './operational-reader.ts';
import { countLabels, countScored, replayBatches } from './replay-reader.ts';
import type { ReplayBatch, ReplayFilter, ReplayReadOptions, ReplaySource } from '../core/replay/index.ts';
import { PARALLEL_MIN_ROWS, ParallelReader } from './parallel-reader.ts';
import { StoreError } from './errors.ts';
import { migrate, MIGRATIONS_DIR, readMigrations } from './migrate.ts';
import { cellFromRow, histToBlob, hourCells, registerRollupFunctions, RollupBatch, type RollupCell } from './rollup.ts';
import { isPreparedBatch } from './prepared-batch.ts';
import { SQL, type StatementName } from './statements.ts';
import { ChunkWriter } from './chunk-writer.ts';
import { forgetChunks, registerChunkFunctions } from './chunk-view.ts';
import { readStoredColumns } from './chunk-reader.ts';
import { convertRows0007, hasRows0007 } from './narrow-conversion.ts';
import { convertWave1, hasWave1Records } from './wave1-conversion.ts';
import { Catalog } from './catalog.ts';
import { Overview } from './overview.ts';
import { mapStoreFile } from './memory-map.ts';

export interface StoreOptions {
  /** Open without writing (no migrations run; a database that needs them is refused). @default false */
  readonly?: boolean;
  /** Folder of the numbered `.sql` migrations. @default db/migrations of this checkout */
  migrationsDir?: string;
  /** Threads that read columns of large periods (1 reads on the calling thread). @default min(4, cores) */
  readThreads?: number;
  /** Stores with fewer records read columns on the calling thread. @default 200000 */
  parallelMinRows?: number;
  /**
   * How long a write waits for another connection's write to finish before "database is locked" (better-sqlite3's
   * `timeout`). @default 5000
   */
  busyTimeoutMs?: number;
}

type Statements = { [K in StatementName]: Database.Statement };

function openDatabase(file: string, readonly: boolean, busyTimeoutMs = 5000): Database.Database {
  if (file !== ':memory:') {
    const folder = dirname(resolve(file));
    if (!existsSync(folder))
      throw new StoreError(`cannot open the database ${file}: the folder ${folder} does not exist`);
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new StoreError(`cannot open the database ${file}: it is a folder, not a file`);
    }
    if (readonly && !existsSync(file)) throw new StoreError(`cannot open the database ${file}: no such file`);
  }
  try {
    const db = new Database(file, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs });
    // Reading the schema forces SQLite to read the header, so "not a database" surfaces here, named.
    db.pragma('schema_version');
    return db;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new StoreError(`cannot open the database ${file}: ${message}`);
  }
}

export class Store implements RecordSource, IngestTarget, ReplaySource {
  readonly db: Database.Database;
  readonly file: string;
  readonly catalog: Catalog;
  readonly overview: Overview;
  private readonly stmt: Statements;
  private readonly parallel: ParallelReader | null;
  private readonly parallelMinRows: number;
  private writer: ChunkWriter | null = null;
  /** What a reader thread runs on each batch before this store writes it (db/prepared-batch.ts). */
  readonly batchPreparer = new URL('./prepared-batch.ts', import.meta.url).href;

  constructor(file: string, options: StoreOptions = {}) {
    this.file = file;
    const readonly = options.readonly ?? false;
    this.db = openDatabase(file, readonly, options.busyTimeoutMs);
    try {
      // Larger pages hold more ~500-byte records and index entries each: fewer page splits while importing.
      // The size only applies to a new database, before it leaves the default journal mode.
      if (!readonly) this.db.pragma('page_size = 16384');
      if (!readonly && file !== ':memory:') this.db.pragma('journal_mode = WAL');
      // WAL + NORMAL: a power cut may lose the last commits but never corrupts; an interrupted import is re-run.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('cache_size = -65536');
      // Checkpoint the WAL every 128 MB rather than every 16 MB: an import's commits dirty most index pages again and
      // again, and each checkpoint writes (and syncs) them all; fewer checkpoints halve the writer's time per record
      // on the 2-core box (decision 1611). Closing the store checkpoints the rest.
      if (!readonly) this.db.pragma('wal_autocheckpoint = 8192');
      this.db.pragma('temp_store = MEMORY');
      mapStoreFile(this.db);
      registerChunkFunctions(this.db);
      registerRollupFunctions(this.db);
      const migrations = readMigrations(options.migrationsDir ?? MIGRATIONS_DIR);
      if (readonly) {
        const applied = this.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'migrations'").pluck().get();
        const count = applied ? (this.db.prepare('SELECT count(*) FROM migrations').pluck().get() as number) : 0;
        if (count !== migrations.length || hasWave1Records(this.db) || hasRows0007(this.db)) {
          throw new StoreError(
            `${file} was written by an earlier version of Vigie and must be upgraded once before it can be read ` +
              `(its records keep their answers): open it in the console, or import into it, then try again`,
          );
        }
      } else {
        migrate(this.db, migrations, file);
        // Records of a store written before migration 0008 (or 0007) move into the current layout once, here.
        const converted = convertRows0007(this.db) + convertWave1(this.db);
        // The old table's pages are free now, scattered between the moved chunks: rewrite the file once, in order
        // (a million records: about 3 s; the drift read of them 0.31 s instead of 0.34-0.38 s). Another connection
        // holding the file open only keeps it from shrinking.
        if (converted > 0) compactStore(this.db);
      }
      this.stmt = Object.fromEntries(
        Object.entries(SQL).map(([name, sql]) => [name, this.db.prepare(sql)]),
      ) as Statements;
    } catch (error) {
      this.db.close();
      if (error instanceof StoreError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new StoreError(`cannot use the database ${file}: ${message}`);
    }
    if (!readonly) this.fillHourRollup();
    const threads = options.readThreads;
    this.parallelMinRows = options.parallelMinRows ?? PARALLEL_MIN_ROWS;
    this.parallel =
      file === ':memory:' || threads === 1 ? null : new ParallelReader(resolve(file), threads ?? undefined);
    this.catalog = new Catalog(this.db, this.stmt);
    this.overview = new Overview(this.db);
  }

  close(): void {
    this.parallel?.close();
    if (this.db.open) this.db.close();
  }

  // ── IngestTarget ────────────────────────────────────────────────────────────────────────────────────────────────

  findCompleteFile(location: string, size: number, mtimeMs: number): SourceRow | null {
    return (this.stmt.fileSourceByStat.get(location, size, Math.trunc(mtimeMs)) as SourceRow | undefined) ?? null;
  }

  findFileByHash(sha256: string, size: number): SourceRow | null {
    return (this.stmt.fileSourceByHash.get(sha256, size) as SourceRow | undefined) ?? null;
  }

  openFileSource(file: { location: string; sha256: string; size: number; mtimeMs: number }): SourceRow {
    const now = Date.now();
    const mtime = Math.trunc(file.mtimeMs);
    const id = this.db.transaction(() => {
      const existing = this.findFileByHash(file.sha256, file.size);
      if (existing) {
        this.stmt.touchFileSource.run(file.location, mtime, now, existing.id);
        return existing.id;
      }
      return Number(
        this.stmt.insertSource.run('file', file.location, file.sha256, file.size, mtime, now, now).lastInsertRowid,
      );
    })();
    return this.source(id);
  }

  openNamedSource(kind: 'endpoint' | 'generator', location: string): SourceRow {
    const existing = this.stmt.namedSource.get(kind, location) as SourceRow | undefined;
    if (existing) return existing;
    const now = Date.now();
    const id = Number(this.stmt.insertSource.run(kind, location, null, null, null, now, now).lastInsertRowid);
    return this.source(id);
  }

  source(id: number): SourceRow {
    const row = this.stmt.sourceById.get(id) as SourceRow | undefined;
    if (!row) throw new StoreError(`no source with id ${id}`);
    return row;
  }

  writeBatch(sourceId: number, batch: WriteBatch): { inserted: number; duplicates: number; quarantined: number } {
    return this.withoutForeignKeys(() => this.writeBatchRows(sourceId, batch));
  }

  /**
   * Runs `fn` with foreign key checks off when no transaction is open (the pragma is a no-op inside one). Checking
   * `source_id` against `sources` for every inserted row cost about a quarter of the insert time; writeBatchRows
   * checks the one source id once instead.
   */
  private withoutForeignKeys<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.db.pragma('foreign_keys = OFF');
    try {
      return fn();
    } finally {
      this.db.pragma('foreign_keys = ON');
    }
  }

  private writeBatchRows(
    sourceId: number,
    batch: WriteBatch,
  ): { inserted: number; duplicates: number; quarantined: number } {
    forgetChunks(this.db);
    try {
      return this.db.transaction(() => {
        if (!this.stmt.sourceById.get(sourceId)) throw new StoreError(`no source with id ${sourceId}`);
        this.writer ??= new ChunkWriter(this.db);
        let inserted: number;
        let records: number;
        if (batch.prepared) {
          if (!isPreparedBatch(batch.prepared)) throw new StoreError('the prepared batch is not one this store made');
          const written = this.writer.writePrepared(batch.prepared, sourceId);
          this.applyRollup(written.cells);
          inserted = written.inserted;
          records = batch.prepared.count;
        } else {
          const rollup = new RollupBatch();
          const members = this.writer.write(batch.rows, sourceId);
          for (const m of members) rollup.addFlat(batch.rows[m]!);
          this.applyRollup(rollup.cells.values());
          inserted = members.length;
          records = batch.rows.length;
        }
        let quarantined = 0;
        for (const q of batch.quarantined) {
          quarantined += this.stmt.insertQuarantine.run(sourceId, q.lineNo, q.reason, q.detail, q.excerpt).changes;
        }
        const duplicates = records - inserted;
        const now = Date.now();
        this.stmt.advanceSource.run(
          batch.lines,
          inserted,
          duplicates,
          quarantined,
          batch.cursor ?? null,
          now,
          sourceId,
        );
        return { inserted, duplicates, quarantined };
      })();
    } finally {
      forgetChunks(this.db);
    }
  }

  setSourceStatus(sourceId: number, status: SourceStatus, error: string | null = null): void {
    this.stmt.setSourceStatus.run(status, error, Date.now(), sourceId);
  }

  recordRun(run: ImportRun): void {
    this.stmt.insertRun.run(
      run.kind,
      run.startedAt,
      run.finishedAt,
      run.status,
      run.sources,
      run.lines,
      run.inserted,
      run.duplicates,
      run.quarantined,
      JSON.stringify(run.summary),
    );
  }

  private addToRollup(rows: Iterable<unknown[]>): void {
    const rollup = new RollupBatch();
    for (const row of rows) rollup.add(row);
    this.applyRollup(rollup.cells.values());
  }

  /** Adds changes (per-minute cells) to both rollups. */
  private applyRollup(cells: Iterable<RollupCell>): void {
    const minutes = [...cells];
    const hours = hourCells(minutes);
    this.addCells(minutes, this.stmt.upsertRollupCell);
    this.addCells(hours, this.stmt.upsertRollupHour);
  }

  private addCells(cells: RollupCell[], upsert: Database.Statement): void {
    for (const cell of cells) {
      upsert.run(
        cell.minute,
        cell.modelName,
        cell.modelVersion,
        ...cell.counts,
        cell.latencySum,
        histToBlob(cell.latencyHist),
        histToBlob(cell.probabilityHist),
      );
    }
  }

  /** Recomputes the rollups from the predictions table (after a manual edit of the table). */
  rebuildRollups(): void {
    this.db.transaction(() => {
      this.stmt.deleteRollups.run();
      this.stmt.deleteHourRollups.run();
      this.addToRollup(this.stmt.allPredictionsForRollup.raw().iterate() as Iterable<unknown[]>);
    })();
  }

  /** Fills the hourly rollup of a store written before it existed (migration 0002) from the per-minute one. */
  private fillHourRollup(): void {
    if (this.stmt.hasHourRollups.pluck().get() === 1 || this.stmt.hasMinuteRollups.pluck().get() === 0) return;
    this.db.transaction(() => {
      const rows = this.stmt.allMinuteRollups.raw().all() as unknown[][];
      this.addCells(hourCells(rows.map(cellFromRow)), this.stmt.upsertRollupHour);
    })();
  }

  // ── RecordSource ────────────────────────────────────────────────────────────────────────────────────────────────

  readColumns(filter: RecordFilter, fields: readonly FieldSpec[]): ColumnData {
    return readStoredColumns(this.db, filter, fields, {
      parallel: this.parallel,
      parallelMinRows: this.parallelMinRows,
      rows: () => this.count(),
    });
  }

  /**
   * Starts the column reader threads now, so that they load while the caller prepares a large read, and has one of
   * them read the file ahead into the system's cache (db/prefetch.ts; `readAhead: false` for a read of a short
   * period): a read of every record then finds its pages in memory instead of waiting for the disk a fault at a time.
   */
  warmColumnReaders(options: { readAhead?: boolean } = {}): void {
    this.parallel?.warm({ prefetch: options.readAhead ?? true });
  }

  readOperational(filter: TimeRange): OperationalData {
    return readOperational(this.db, filter);
  }

  timeBounds(): { from: number; to: number } | null {
    const [from, to] = this.stmt.timeBounds.raw().get() as [number | null, number | null];
    return from === null || to === null ? null : { from, to };
  }

  // ── ReplaySource (db/replay-reader.ts) ─────────────────────────────────────────────────────────────────────────

  countScored(filter: ReplayFilter): number {
    return countScored(this.db, filter);
  }

  countLabels(): number {
    return countLabels(this.db);
  }

  replayBatches(filter: ReplayFilter, options: ReplayReadOptions): Iterable<ReplayBatch> {
    return replayBatches(this.db, filter, options);
  }

  /** Records stored (read from the hourly rollup, which counts exactly the rows inserted). */
  count(): number {
    return this.stmt.countPredictions.pluck().get() as number;
  }
}

/** Opens (creating and migrating when needed) the store at `file`; `:memory:` gives a private in-memory store. */
function compactStore(db: Database.Database): void {
  try {
    db.exec('VACUUM');
  } catch {
    // Busy (another connection reads the store): it stays as large as it was, and as correct.
  }
}

export function openStore(file: string, options: StoreOptions = {}): Store {
  return new Store(file, options);
}
