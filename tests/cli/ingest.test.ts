import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { jsonl, records, tempDir, type TempDir } from '../core/ingest/fixtures.ts';
import { runCli, type CliRun } from '../helpers/run-cli.ts';

let dir: TempDir;

beforeEach(() => {
  dir = tempDir();
});

afterEach(() => {
  dir.cleanup();
});

function expectOneLineError(run: CliRun, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

it('imports files and prints the summary as JSON', async () => {
  const a = dir.file('a.jsonl', jsonl([...records(0, 20), 'not json']));
  const b = dir.file('b.jsonl.gz', jsonl(records(10, 30)), { gzip: true });
  const db = join(dir.path, 'store.sqlite');
  const run = await runCli(['ingest', a, b, '--db', db, '--json']);
  expect(run.code).toBe(0);
  const summary = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(summary).toMatchObject({
    files: 2,
    lines: 41,
    inserted: 30,
    duplicates: 10,
    quarantined: 1,
    by_reason: { bad_json: 1 },
    errors: [],
  });
});

it('says how many files it skipped when they were already imported', async () => {
  const a = dir.file('a.jsonl', jsonl(records(0, 5)));
  const db = join(dir.path, 'store.sqlite');
  await runCli(['ingest', a, '--db', db]);
  const run = await runCli(['ingest', a, '--db', db]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/0 file\(s\) imported, 1 already imported: 0 lines, 0 inserted/);
});

it('creates the default store under ./var when --db is not given', async () => {
  const a = dir.file('a.jsonl', jsonl(records(0, 5)));
  const run = await runCli(['ingest', a], { cwd: dir.path });
  expect(run.code).toBe(0);
  expect(existsSync(join(dir.path, 'var', 'vigie.sqlite'))).toBe(true);
});

it('refuses a missing path with one line and exit code 2', async () => {
  const run = await runCli(['ingest', join(dir.path, 'nope.jsonl'), '--db', join(dir.path, 's.sqlite')]);
  expectOneLineError(run, /no such file or folder: .*nope\.jsonl/);
});

it('refuses a file that is not .jsonl or .jsonl.gz', async () => {
  const csv = dir.file('data.csv', 'a,b\n');
  const run = await runCli(['ingest', csv, '--db', join(dir.path, 's.sqlite')]);
  expectOneLineError(run, /data\.csv is not a \.jsonl or \.jsonl\.gz file/);
});

it('refuses a --db whose folder does not exist', async () => {
  const a = dir.file('a.jsonl', jsonl(records(0, 5)));
  const run = await runCli(['ingest', a, '--db', join(dir.path, 'missing', 'store.sqlite')]);
  expectOneLineError(run, /--db .*store\.sqlite: the folder .*missing does not exist/);
});

it('refuses a --db that is not a database', async () => {
  const a = dir.file('a.jsonl', jsonl(records(0, 5)));
  const notDb = dir.file('notes.sqlite', 'just some text, long enough to have a header '.repeat(10));
  const run = await runCli(['ingest', a, '--db', notDb]);
  expectOneLineError(run, /--db .*notes\.sqlite: .*not a database/);
});

it('refuses a --db that is a folder', async () => {
  const a = dir.file('a.jsonl', jsonl(records(0, 5)));
  mkdirSync(join(dir.path, 'folder.sqlite'));
  const run = await runCli(['ingest', a, '--db', join(dir.path, 'folder.sqlite')]);
  expectOneLineError(run, /is a folder, not a file/);
});

const isRoot = process.getuid?.() === 0;
it.skipIf(isRoot)('refuses an unreadable file (skipped as root, who can read any file)', async () => {
  const a = dir.file('a.jsonl', jsonl(records(0, 5)));
  chmodSync(a, 0o000);
  const run = await runCli(['ingest', a, '--db', join(dir.path, 's.sqlite')]);
  expectOneLineError(run, /cannot read .*a\.jsonl: permission denied/);
});

it('asks for at least one path', async () => {
  const run = await runCli(['ingest', '--db', join(dir.path, 's.sqlite')]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/missing required argument 'paths'/);
});
