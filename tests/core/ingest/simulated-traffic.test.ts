import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { compileInputSchema } from '../../../core/contract/index.ts';
import { ingestPaths, ingestRecords } from '../../../core/ingest/index.ts';
import { generateTraffic, writeTrafficFiles } from '../../../core/simulate/index.ts';
import { useTempStores } from './fixtures.ts';
import type { Store } from '../../../db/index.ts';

const schema = compileInputSchema(
  JSON.parse(readFileSync(new URL('../../fixtures/input_schema.json', import.meta.url), 'utf8')) as unknown,
);
const traffic = { days: 2, rows: 3000, seed: 11, schema, scenario: 'incident' as const };

const fixtures = useTempStores();
const newStore = fixtures.newStore;

it('stores simulated log files and the same traffic given as records identically', async () => {
  await writeTrafficFiles({ ...traffic, dir: join(fixtures.dir().path, 'logs') });
  const fromFiles = newStore();
  const files = await ingestPaths(fromFiles, [join(fixtures.dir().path, 'logs')]);
  const fromRecords = newStore();
  const records = await ingestRecords(fromRecords, generateTraffic(traffic), 'simulate:incident:11');
  expect(files.errors).toEqual([]);
  expect(files.quarantined).toBe(0);
  expect(records.inserted).toBe(files.inserted);
  const columns = 'request_id, ts, status, probability, latency_total_ms, AMT_INCOME_TOTAL, NAME_INCOME_TYPE, extra';
  const rows = (store: Store) => store.db.prepare(`SELECT ${columns} FROM predictions ORDER BY request_id`).raw().all();
  expect(rows(fromRecords)).toEqual(rows(fromFiles));
  const overview = (store: Store) => store.overview.query({ bucket: 'hour' }).totals;
  const { latencyMeanMs, ...totals } = overview(fromRecords);
  // Files come replica by replica, records in time order: the latency sum is added in another order.
  expect(overview(fromFiles)).toEqual({ ...totals, latencyMeanMs: expect.closeTo(latencyMeanMs!, 9) });
});

it('stores every status the simulated API writes, with its error code', async () => {
  const store = newStore();
  await ingestRecords(store, generateTraffic(traffic), 'simulate');
  const statuses = store.db
    .prepare('SELECT status, count(*) AS n, count(error_code) AS coded FROM predictions GROUP BY status')
    .all() as Array<{ status: string; n: number; coded: number }>;
  expect(statuses.map((s) => s.status).sort()).toEqual(['error', 'invalid', 'ok', 'rejected']);
  for (const s of statuses) expect(s.coded).toBe(s.status === 'ok' ? 0 : s.n);
});
