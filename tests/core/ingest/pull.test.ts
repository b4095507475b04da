import { afterEach, beforeEach, expect, it } from 'vitest';
import { logsEndpoint, PullError, pullLogs, type PullOptions } from '../../../core/ingest/index.ts';
import { openStore, type Store } from '../../../db/index.ts';
import { startApi, type FakeApi } from './fake-logs-api.ts';
import { line, makeRecord, records } from './fixtures.ts';

let store: Store;
let api: FakeApi;

beforeEach(async () => {
  store = openStore(':memory:');
  api = await startApi(records(0, 25));
});

afterEach(async () => {
  store.close();
  await api.close();
});

const options = (extra: Partial<PullOptions> = {}): PullOptions => ({
  url: api.url,
  key: 'admin-key',
  pageSize: 10,
  baseDelayMs: 1,
  maxDelayMs: 5,
  ...extra,
});

it('pulls every page and stores the cursor that follows the last one', async () => {
  const summary = await pullLogs(store, options());
  expect(summary).toMatchObject({ lines: 25, inserted: 25, errors: [] });
  expect(api.requests.map((r) => r.since)).toEqual([null, 'c10', 'c20']);
  expect(api.requests.every((r) => r.auth === 'Bearer admin-key' && r.limit === 10)).toBe(true);
  expect(store.catalog.listSources()[0]).toMatchObject({ kind: 'endpoint', cursor: 'c25', lines: 25 });
});

it('resumes from the stored cursor and pulls only what is new', async () => {
  await pullLogs(store, options());
  api.lines.push(...records(25, 30));
  api.requests.length = 0;
  const summary = await pullLogs(store, options());
  expect(api.requests[0]!.since).toBe('c25');
  expect(summary).toMatchObject({ inserted: 5, duplicates: 0 });
});

it('retries a page after a 500 and then succeeds', async () => {
  api.failures.push(500, 503);
  const retries: string[] = [];
  const summary = await pullLogs(store, options({ onRetry: (r) => retries.push(r.reason) }));
  expect(summary.inserted).toBe(25);
  expect(retries).toEqual(['HTTP 500', 'HTTP 503']);
});

it('gives up after the allowed tries when the API keeps failing', async () => {
  api.failures.push(500, 500, 500);
  await expect(pullLogs(store, options({ maxAttempts: 3 }))).rejects.toThrow(/HTTP 500 \(gave up after 3 tries\)/);
});

it('stops at once on 401 saying the key is wrong', async () => {
  await expect(pullLogs(store, options({ key: 'nope' }))).rejects.toThrow(/refused the key \(401\)/);
  expect(api.requests).toHaveLength(1);
});

it('stops at once on 403 saying the key is not an admin key', async () => {
  await expect(pullLogs(store, options({ key: 'score-key' }))).rejects.toThrow(/not an admin key \(403\)/);
});

it('never puts the key in an error message', async () => {
  const error = await pullLogs(store, options({ key: 'super-secret-key-123' })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PullError);
  expect((error as Error).message).not.toContain('super-secret-key-123');
});

it('retries a refused connection and then reports it', async () => {
  await api.close();
  const retries: number[] = [];
  await expect(pullLogs(store, options({ maxAttempts: 2, onRetry: (r) => retries.push(r.attempt) }))).rejects.toThrow(
    /connection refused \(gave up after 2 tries\)/,
  );
  expect(retries).toEqual([1]);
  api = await startApi([]);
});

it('quarantines a malformed NDJSON line with its position in the pulled stream', async () => {
  api.lines.splice(12, 0, '{"request_id": "broken"');
  const summary = await pullLogs(store, options());
  expect(summary).toMatchObject({ inserted: 25, quarantined: 1, by_reason: { truncated_line: 1 } });
  expect(store.catalog.listQuarantine().rows[0]).toMatchObject({ lineNo: 13, reason: 'truncated_line' });
});

it('counts records it already has from a file import as duplicates', async () => {
  const source = store.openNamedSource('generator', 'earlier');
  const { flattenRecord } = await import('../../../core/ingest/index.ts');
  store.writeBatch(source.id, { rows: [flattenRecord(makeRecord(3))], quarantined: [], lines: 1 });
  const summary = await pullLogs(store, options());
  expect(summary).toMatchObject({ inserted: 24, duplicates: 1 });
});

it('follows the log until stopped, picking up records written later', async () => {
  const controller = new AbortController();
  let polls = 0;
  const summary = await pullLogs(
    store,
    options({
      follow: true,
      intervalSeconds: 0.01,
      signal: controller.signal,
      onProgress: () => {
        polls++;
        if (polls === 3) api.lines.push(line(makeRecord(99)));
        if (store.count() === 26) controller.abort();
      },
    }),
  );
  expect(summary.inserted).toBe(26);
  expect(summary.aborted).toBe(true);
});

it('refuses a URL that is not http or https', () => {
  expect(() => logsEndpoint('ftp://example.com')).toThrow(/http:\/\/ or https:\/\//);
  expect(logsEndpoint('http://h:1/api/v1/logs/').href).toBe('http://h:1/api/v1/logs');
});
