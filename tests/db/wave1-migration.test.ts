import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RecordFilter } from '../../core/analysis/source.ts';
import { compileInputSchema, type FieldSpec, type LogRecord } from '../../core/contract/index.ts';
import { flattenRecord } from '../../core/ingest/index.ts';
import { BASE_COLUMNS } from '../../core/ingest/flat-record.ts';
import { CHUNK_ONLY_COLUMNS } from '../../db/chunk-content.ts';
import { registerChunkFunctions } from '../../db/chunk-view.ts';
import { Catalog } from '../../db/catalog.ts';
import { readColumns } from '../../db/column-reader.ts';
import { openStore, OutcomeTable, readMigrations, type Store } from '../../db/index.ts';
import { readOperational } from '../../db/operational-reader.ts';
import { Overview } from '../../db/overview.ts';
import { countScored, replayBatches } from '../../db/replay-reader.ts';
import { SQL, type StatementName } from '../../db/statements.ts';
import { WhatIfTables } from '../../db/what-if.ts';
import { makeRecord, T0 } from '../core/ingest/fixtures.ts';
import { Wave1Store } from './wave1-store.ts';

const schema = compileInputSchema(
  JSON.parse(readFileSync(new URL('../fixtures/input_schema.json', import.meta.url), 'utf8')) as unknown,
);
const RECORDS = 5200;
const HOUR = 3_600_000;

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-wave1-'));
  file = join(dir, 'store.sqlite');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Records out of time order, of every status, two model versions, fallback answers, odd values and extras. */
function record(i: number): LogRecord {
  const ts = new Date(T0 + ((i * 7919) % RECORDS) * 1700).toISOString();
  const base = makeRecord(i, { ts });
  if (i % 97 === 0)
    return { ...base, status: 'invalid', http_status: 422, output: null, input: { ...base.input, AMT_CREDIT: 'lots' } };
  if (i % 89 === 0)
    return { ...base, status: 'error', http_status: 500, output: null, error: { code: 'E_MODEL', message: 'x' } };
  if (i % 83 === 0) return { ...base, served_by: 'fallback', degraded: true };
  if (i % 7 === 0) return { ...base, model: { name: 'credit-default', version: '4', alias: 'challenger' } };
  if (i % 11 === 0)
    return {
      ...base,
      input: { ...base.input, NAME_INCOME_TYPE: `Other-${i % 3}`, CODE_GENDER: null, FUTURE_FIELD: i },
    };
  if (i % 13 === 0)
    return { ...base, shadow: { model: { name: 'credit-default', version: '5' }, probability: 0.2 } } as LogRecord;
  return base;
}

function buildWave1(): void {
  const old = new Wave1Store(file);
  const a = old.addSource('logs-a');
  const b = old.addSource('logs-b');
  const rows = Array.from({ length: RECORDS }, (_, i) => flattenRecord(record(i)));
  old.write(a, rows.slice(0, 3000), [{ lineNo: 17, reason: 'bad_json', detail: 'Unexpected token' }]);
  // The second file repeats records of the first: they are duplicates and stay out.
  old.write(b, rows.slice(2500), [{ lineNo: 3, reason: 'invalid_record', detail: 'request_id is missing' }]);
  const label = old.db.prepare(SQL.insertLabel);
  for (let i = 0; i < RECORDS; i += 5) label.run(`req-${String(i).padStart(6, '0')}`, null, i % 2, T0, 'test');
  for (let i = 1; i < RECORDS; i += 50) label.run(null, `ref-${i}`, 1, T0, 'test');
  old.close();
}

const FILTERS: RecordFilter[] = [
  {},
  { statuses: ['ok'] },
  { statuses: ['invalid', 'error'] },
  { from: T0 + HOUR / 2, to: T0 + 2 * HOUR, statuses: ['ok'] },
  { model: { name: 'credit-default', version: '4' } },
  { model: { name: 'credit-default' }, servedBy: 'fallback' },
  { statuses: [] },
];

/** Every reader's answers over `db` (the wave-1 table or the migrated view) and `store` methods where they exist. */
function answers(db: Database.Database, columns: (filter: RecordFilter, fields: readonly FieldSpec[]) => unknown) {
  const stmt = new Proxy({} as Record<StatementName, Database.Statement>, {
    get: (_, name: StatementName) => db.prepare(SQL[name]),
  });
  const catalog = new Catalog(db, stmt);
  const whatIf = new WhatIfTables({ db } as unknown as Store);
  const outcomes = new OutcomeTable(db);
  const future: FieldSpec = { ...schema.fieldsByName.get('CNT_CHILDREN')!, name: 'FUTURE_FIELD' };
  return {
    rows: db.prepare('SELECT * FROM predictions ORDER BY id').raw().all(),
    overview: new Overview(db).query({}),
    overviewHours: new Overview(db).query({ bucket: 'hour' }),
    columns: FILTERS.map((filter) => columns(filter, schema.fields)),
    notStored: columns({ statuses: ['ok'] }, [future, schema.fieldsByName.get('AMT_CREDIT')!]),
    operational: readOperational(db, {}),
    operationalPart: readOperational(db, { from: T0 + HOUR, to: T0 + 2 * HOUR }),
    quarantine: catalog.listQuarantine(),
    reasons: catalog.quarantineByReason(),
    sources: catalog.listSources(),
    scored: countScored(db, {}),
    replay: [...replayBatches(db, {}, { batchSize: 700, withShadow: true })],
    request: whatIf.findRequest('req-000011'),
    requests: whatIf.listRequests({ limit: 40, offset: 20 }),
    labelled: outcomes.labelledRows(T0, T0 + 10 * HOUR),
    outcomeCounts: outcomes.outcomeCounts(),
  };
}

it('migrates a wave-1 store with its records, and every reader gives the same answers after', () => {
  buildWave1();
  const wave1 = new Wave1Store(file);
  const before = answers(wave1.db, (filter, fields) => readColumns(wave1.db, filter, fields));
  wave1.close();

  const store = openStore(file, { readThreads: 1 });
  try {
    const applied = store.db.prepare('SELECT count(*) FROM migrations').pluck().get();
    expect(applied).toBe(readMigrations().length);
    expect(store.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'predictions_wave1'").pluck().get()).toBe(
      0,
    );
    expect(store.db.prepare('SELECT count(*) FROM record_chunks').pluck().get()).toBeGreaterThan(1);
    // The file was rewritten after the conversion: the old table's pages are not left free.
    expect(store.db.pragma('freelist_count', { simple: true })).toBe(0);
    const after = answers(store.db, (filter, fields) => store.readColumns(filter, fields));
    expect(after.rows.length).toBe(before.rows.length);
    expect(after).toEqual(before);
    expect(store.readOperational({})).toEqual(before.operational);
    expect(store.count()).toBe(before.rows.length);
  } finally {
    store.close();
  }
});

it('keeps importing into a migrated store: new records are added, the old ones stay duplicates', () => {
  buildWave1();
  const store = openStore(file, { readThreads: 1 });
  try {
    const source = store.openNamedSource('generator', 'after-migration');
    const rows = Array.from({ length: RECORDS + 300 }, (_, i) => flattenRecord(record(i)));
    const result = store.writeBatch(source.id, { rows, quarantined: [], lines: rows.length });
    expect(result).toEqual({ inserted: 300, duplicates: RECORDS, quarantined: 0 });
    const ids = store.db.prepare('SELECT request_id FROM predictions ORDER BY id').pluck().all() as string[];
    expect(new Set(ids).size).toBe(RECORDS + 300);
    const columns = store.readColumns({ statuses: ['ok'] }, schema.fields);
    const rowReader = readColumns(store.db, { statuses: ['ok'] }, schema.fields);
    expect(columns).toEqual(rowReader);
  } finally {
    store.close();
  }
});

it('refuses a read-only open of a wave-1 store in words that say how to upgrade it, and changes nothing', () => {
  const wave1 = new Wave1Store(file);
  wave1.write(wave1.addSource('wave-1 logs'), [flattenRecord(record(1))]);
  wave1.db.close();
  const before = readFileSync(file);
  expect(() => openStore(file, { readonly: true })).toThrow(
    /written by an earlier version of Vigie and must be upgraded once.*open it in the console, or import into it/,
  );
  expect(readFileSync(file).equals(before)).toBe(true);
});

/** Turns a store of the current layout back into migration 0007's (26-column rows, chunks without the moved columns). */
function downgradeTo0007(path: string): void {
  const db = new Database(path);
  registerChunkFunctions(db);
  const sql0007 = readFileSync(new URL('../../db/migrations/0007-column-chunks.sql', import.meta.url), 'utf8');
  const createRows = /CREATE TABLE prediction_rows \([\s\S]*?\n\);/.exec(sql0007)![0];
  const createView = /CREATE VIEW predictions AS[\s\S]*?;\s*$/.exec(sql0007)![0];
  const columns = [...BASE_COLUMNS, 'source_id', 'input_extra', 'extra'];
  db.transaction(() => {
    db.exec(`DROP INDEX prediction_rows_ts; ALTER TABLE prediction_rows RENAME TO rows_0008;`);
    db.exec(`${createRows} CREATE INDEX prediction_rows_ts ON prediction_rows (ts);`);
    db.exec(`INSERT INTO prediction_rows (id, ${columns.join(', ')}, chunk_id)
      SELECT p.id, ${columns.map((c) => `p.${c}`).join(', ')}, r.chunk_id
      FROM predictions p JOIN rows_0008 r ON r.id = p.id`);
    db.exec('DROP VIEW predictions; DROP TABLE rows_0008;');
    for (const column of CHUNK_ONLY_COLUMNS) db.exec(`ALTER TABLE record_chunks DROP COLUMN "${column.name}"`);
    db.exec(createView);
    db.prepare('DELETE FROM migrations WHERE id = 8').run();
  })();
  db.close();
}

it('migrates a store of 0007 rows into narrower rows, and every reader gives the same answers after', () => {
  const store = openStore(file, { readThreads: 1 });
  const a = store.openNamedSource('generator', 'logs-a');
  const b = store.openNamedSource('generator', 'logs-b');
  const rows = Array.from({ length: RECORDS }, (_, i) => flattenRecord(record(i)));
  const bad = [{ lineNo: 17, reason: 'bad_json', detail: 'Unexpected token', excerpt: '{' }];
  store.writeBatch(a.id, { rows: rows.slice(0, 3000), quarantined: bad, lines: 3001 });
  store.writeBatch(b.id, { rows: rows.slice(2500), quarantined: [], lines: RECORDS - 2500 });
  const label = store.db.prepare(SQL.insertLabel);
  for (let i = 0; i < RECORDS; i += 5) label.run(`req-${String(i).padStart(6, '0')}`, null, i % 2, T0, 'test');
  const before = answers(store.db, (filter, fields) => store.readColumns(filter, fields));
  store.close();

  downgradeTo0007(file);
  expect(() => openStore(file, { readonly: true })).toThrow(/must be upgraded once/);
  const migrated = openStore(file, { readThreads: 1 });
  try {
    expect(
      migrated.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'prediction_rows_0007'").pluck().get(),
    ).toBe(0);
    expect(migrated.db.pragma('freelist_count', { simple: true })).toBe(0);
    const nulls = migrated.db.prepare(
      'SELECT count(*) FROM record_chunks WHERE replica IS NULL OR input_extra IS NULL',
    );
    expect(nulls.pluck().get()).toBe(0);
    const after = answers(migrated.db, (filter, fields) => migrated.readColumns(filter, fields));
    expect(after.rows.length).toBe(before.rows.length);
    expect(after).toEqual(before);
    // Imports go on into the migrated store.
    const more = Array.from({ length: RECORDS + 40 }, (_, i) => flattenRecord(record(i)));
    const source = migrated.openNamedSource('generator', 'after');
    expect(migrated.writeBatch(source.id, { rows: more, quarantined: [], lines: more.length })).toEqual({
      inserted: 40,
      duplicates: RECORDS,
      quarantined: 0,
    });
  } finally {
    migrated.close();
  }
});
