import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { flattenRecord } from '../../core/ingest/index.ts';
import { makeRecord } from '../core/ingest/fixtures.ts';
import { MIGRATIONS_DIR, openStore, readMigrations, StoreError } from '../../db/index.ts';

const shipped = readMigrations().length;
const next = `${String(shipped + 1).padStart(4, '0')}-notes.sql`;

let dir: string;
let migrations: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-db-'));
  migrations = join(dir, 'migrations');
  cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
  file = join(dir, 'store.sqlite');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('applies the migrations once and records each with its SHA-256', () => {
  openStore(file, { migrationsDir: migrations }).close();
  const store = openStore(file, { migrationsDir: migrations });
  const rows = store.db.prepare('SELECT id, name, sha256 FROM migrations').all() as Array<{ sha256: string }>;
  store.close();
  expect(rows).toHaveLength(shipped);
  expect(rows[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
});

it('refuses a database whose applied migration has changed since', () => {
  openStore(file, { migrationsDir: migrations }).close();
  appendFileSync(join(migrations, '0001-initial.sql'), '\n-- an innocent-looking edit\n');
  expect(() => openStore(file, { migrationsDir: migrations })).toThrow(StoreError);
  expect(() => openStore(file, { migrationsDir: migrations })).toThrow(
    /migration 0001-initial\.sql was changed after it was applied/,
  );
});

it('reads a migration checked out with CRLF line ends as the same migration', () => {
  openStore(file, { migrationsDir: migrations }).close();
  const path = join(migrations, '0001-initial.sql');
  writeFileSync(path, readFileSync(path, 'utf8').replace(/\n/g, '\r\n'));
  expect(() => openStore(file, { migrationsDir: migrations }).close()).not.toThrow();
});

it('applies a new numbered migration to an existing database', () => {
  openStore(file, { migrationsDir: migrations }).close();
  writeFileSync(join(migrations, next), 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);');
  const store = openStore(file, { migrationsDir: migrations });
  expect(store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'notes'").get()).toEqual({ n: 1 });
  store.close();
});

it('refuses a database written by a newer version', () => {
  writeFileSync(join(migrations, next), 'CREATE TABLE notes (id INTEGER PRIMARY KEY);');
  openStore(file, { migrationsDir: migrations }).close();
  rmSync(join(migrations, next));
  expect(() => openStore(file, { migrationsDir: migrations })).toThrow(/written by a newer Vigie/);
});

it('refuses a migration file name without its number', () => {
  writeFileSync(join(migrations, 'extra.sql'), 'SELECT 1;');
  expect(() => openStore(file, { migrationsDir: migrations })).toThrow(/must look like 0001-title\.sql/);
});

it('refuses to open a store in a folder that does not exist', () => {
  expect(() => openStore(join(dir, 'nope', 'store.sqlite'))).toThrow(/the folder .*nope does not exist/);
});

it('refuses a file that is not a SQLite database', () => {
  writeFileSync(file, 'hello, this is plainly not a database file at all, not even close '.repeat(20));
  expect(() => openStore(file)).toThrow(/not a database/);
});

it('uses write-ahead logging', () => {
  const store = openStore(file, { migrationsDir: migrations });
  expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
  store.close();
});

it('fills the hourly rollup of a store written before it existed', () => {
  const old = openStore(file);
  const source = old.openNamedSource('generator', 't');
  const rows = [flattenRecord(makeRecord(0)), flattenRecord(makeRecord(4000))];
  old.writeBatch(source.id, { rows, quarantined: [], lines: 2 });
  // What a store migrated to 0002 from before it looks like: minute rollups, no hourly ones yet.
  old.db.exec('DELETE FROM rollup_hour');
  old.close();
  const store = openStore(file);
  expect(store.db.prepare('SELECT count(*) FROM rollup_hour').pluck().get()).toBe(2);
  expect(store.overview.query({ bucket: 'day' }).totals.requests).toBe(2);
  store.close();
});

it('creates new stores with 16 KB pages', () => {
  const store = openStore(file);
  expect(store.db.pragma('page_size', { simple: true })).toBe(16384);
  store.close();
});
