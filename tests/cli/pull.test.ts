import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startApi, type FakeApi } from '../core/ingest/fake-logs-api.ts';
import { records, tempDir, type TempDir } from '../core/ingest/fixtures.ts';
import { runCli, type CliRun } from '../helpers/run-cli.ts';

let dir: TempDir;
let api: FakeApi;

beforeEach(async () => {
  dir = tempDir();
  api = await startApi(records(0, 12));
});

afterEach(async () => {
  await api.close();
  dir.cleanup();
});

function expectOneLineError(run: CliRun, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
}

it('pulls with the key from VIGIE_ADMIN_KEY and prints the summary as JSON', async () => {
  const db = join(dir.path, 's.sqlite');
  const run = await runCli(['pull', '--url', api.url, '--db', db, '--limit', '5', '--json'], {
    env: { VIGIE_ADMIN_KEY: 'admin-key' },
  });
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ lines: 12, inserted: 12, errors: [] });
  expect(api.requests.map((r) => r.since)).toEqual([null, 'c5', 'c10']);
});

it('stops with one line when the key is refused, without printing the key', async () => {
  const run = await runCli(['pull', '--url', api.url, '--key', 'wrong-key-42', '--db', join(dir.path, 's.sqlite')], {
    env: { VIGIE_ADMIN_KEY: '' },
  });
  expectOneLineError(
    run,
    /refused the key \(401\): check --key or VIGIE_ADMIN_KEY \(a key vigie api generated is in its var\/admin-key file\)/,
  );
  expect(run.stderr + run.stdout).not.toContain('wrong-key-42');
});

it('asks for a key when there is none', async () => {
  const run = await runCli(['pull', '--url', api.url, '--db', join(dir.path, 's.sqlite')], {
    env: { VIGIE_ADMIN_KEY: '' },
  });
  expectOneLineError(run, /admin key is needed/);
});

it('refuses a URL that is not http(s)', async () => {
  const run = await runCli(['pull', '--url', 'localhost:8080', '--key', 'k', '--db', join(dir.path, 's.sqlite')]);
  expectOneLineError(run, /--url must be an http:\/\/ or https:\/\/ URL/);
});

it('refuses a page size out of range', async () => {
  const run = await runCli(['pull', '--url', api.url, '--key', 'k', '--limit', '0']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--limit.*expected an integer from 1 to 10000/);
});
