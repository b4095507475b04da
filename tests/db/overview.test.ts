import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LogRecord } from '../../core/contract/index.ts';
import { flattenRecord } from '../../core/ingest/index.ts';
import { openStore, type Store } from '../../db/index.ts';
import { addBlob, addHistBlobs, histToBlob, LATENCY_BINS } from '../../db/rollup.ts';
import { makeRecord, T0 } from '../core/ingest/fixtures.ts';

let store: Store;

beforeEach(() => {
  store = openStore(':memory:');
});

afterEach(() => {
  store.close();
});

const HOUR = 3_600_000;

function put(records: LogRecord[]): void {
  const source = store.openNamedSource('generator', 'test');
  store.writeBatch(source.id, { rows: records.map(flattenRecord), quarantined: [], lines: records.length });
}

/** Record i at T0 + hours[i] hours. */
function at(i: number, hours: number, overrides: Partial<LogRecord> = {}): LogRecord {
  return makeRecord(i, { ts: new Date(T0 + hours * HOUR + i).toISOString(), ...overrides });
}

it('counts requests per hour by status with the rates', () => {
  put([
    at(0, 0),
    at(1, 0, { output: { probability: 0.05, decision: 'approve', threshold: 0.11 } }),
    at(2, 0, { status: 'error', http_status: 500, output: null }),
    at(3, 1, { degraded: true, served_by: 'fallback' }),
    at(4, 1, { status: 'invalid', http_status: 400, output: null }),
  ]);
  const result = store.overview.query({ bucket: 'hour' });
  expect(result.buckets.map((b) => [b.start - T0, b.requests, b.ok, b.error, b.invalid])).toEqual([
    [0, 3, 2, 1, 0],
    [HOUR, 2, 1, 0, 1],
  ]);
  expect(result.buckets[0]).toMatchObject({ decided: 2, approved: 2, approvalRate: 1, errorRate: 1 / 3 });
  expect(result.buckets[1]).toMatchObject({ degraded: 1, servedFallback: 1, fallbackRate: 1 });
  expect(result.totals).toMatchObject({ requests: 5, ok: 3, error: 1, invalid: 1 });
});

it('includes empty buckets between busy ones, so charts keep their time axis', () => {
  put([at(0, 0), at(1, 3)]);
  expect(store.overview.query({ bucket: 'hour' }).buckets.map((b) => b.requests)).toEqual([1, 0, 0, 1]);
});

it('groups by UTC day', () => {
  put([at(0, 0), at(1, 10), at(2, 30)]);
  const days = store.overview.query({ bucket: 'day' }).buckets;
  expect(days.map((b) => new Date(b.start).toISOString())).toEqual([
    '2026-11-21T00:00:00.000Z',
    '2026-11-22T00:00:00.000Z',
  ]);
  expect(days.map((b) => b.requests)).toEqual([2, 1]);
});

it('restricts everything to the requested range', () => {
  put([at(0, 0), at(1, 1), at(2, 2)]);
  const result = store.overview.query({ from: T0 + HOUR, to: T0 + 2 * HOUR, bucket: 'hour' });
  expect(result.totals.requests).toBe(1);
  expect(result.buckets).toHaveLength(1);
});

it('gives latency percentiles within 5 % of the exact ones', () => {
  const records: LogRecord[] = [];
  for (let i = 0; i < 1000; i++) records.push(at(i, 0, { latency_ms: { total: 1 + i / 10 } }));
  put(records);
  const { totals } = store.overview.query({});
  expect(totals.latencyP50Ms! / 50.9).toBeGreaterThan(0.95);
  expect(totals.latencyP50Ms! / 50.9).toBeLessThan(1.05);
  expect(totals.latencyP99Ms! / 99.9).toBeGreaterThan(0.95);
  expect(totals.latencyP99Ms! / 99.9).toBeLessThan(1.05);
  expect(totals.latencyMeanMs).toBeCloseTo(50.95, 6);
});

it('histograms the predicted probability in 20 bins', () => {
  put(
    [0.01, 0.04, 0.5, 0.99, 1].map((p, i) =>
      at(i, 0, { output: { probability: p, decision: 'approve', threshold: 0.1 } }),
    ),
  );
  const histogram = store.overview.query({}).probabilityHistogram;
  expect(histogram.edges).toHaveLength(21);
  expect(histogram.counts[0]).toBe(2);
  expect(histogram.counts[10]).toBe(1);
  expect(histogram.counts[19]).toBe(2);
});

it('lists the model versions in traffic, busiest first', () => {
  const v4 = { name: 'credit-default', version: '4', alias: 'challenger' };
  put([at(0, 0), at(1, 0), at(2, 1, { model: v4 }), at(3, 1, { model: null, status: 'rejected', http_status: 401 })]);
  expect(store.overview.query({}).models.map((m) => [m.version, m.requests])).toEqual([
    ['3', 2],
    ['4', 1],
  ]);
});

it('does not count a duplicate record twice', () => {
  put([at(0, 0), at(1, 0)]);
  put([at(1, 0), at(2, 0)]);
  expect(store.overview.query({}).totals.requests).toBe(3);
  expect(store.count()).toBe(store.db.prepare('SELECT count(*) FROM predictions').pluck().get());
});

it('keeps the rollup equal to one rebuilt from the stored records', () => {
  const records: LogRecord[] = [];
  for (let i = 0; i < 300; i++) records.push(at(i, i % 7, i % 11 === 0 ? { status: 'error', http_status: 503 } : {}));
  put(records.slice(0, 200));
  put(records.slice(150));
  const maintained = store.overview.query({ bucket: 'hour' });
  store.rebuildRollups();
  expect(store.overview.query({ bucket: 'hour' })).toEqual(maintained);
});

it('answers with empty figures on an empty store', () => {
  const result = store.overview.query({});
  expect(result).toMatchObject({ buckets: [], models: [], totals: { requests: 0, approvalRate: null } });
});

it('refuses a range that would need too many buckets', () => {
  expect(() => store.overview.query({ from: 0, to: T0, bucket: 'minute' })).toThrow(/use a larger bucket/);
});

it('gives the same figures from the hourly rollup as from the per-minute one', () => {
  const records: LogRecord[] = [];
  for (let i = 0; i < 400; i++) records.push(at(i, i / 17, { latency_ms: { total: 1 + (i % 37) } }));
  put(records);
  const from = T0 + 7 * 60_000;
  const to = T0 + 20 * HOUR + 13 * 60_000;
  const byHour = store.overview.query({ from, to, bucket: 'hour' });
  const byMinute = store.overview.query({ from, to, bucket: 'minute' });
  expect(byHour.totals).toEqual(byMinute.totals);
  expect(byHour.probabilityHistogram).toEqual(byMinute.probabilityHistogram);
  const perHour = new Map<number, number>();
  for (const b of byMinute.buckets)
    perHour.set(Math.floor(b.start / HOUR), (perHour.get(Math.floor(b.start / HOUR)) ?? 0) + b.requests);
  expect(byHour.buckets.map((b) => b.requests)).toEqual(byHour.buckets.map((b) => perHour.get(b.start / HOUR) ?? 0));
});

it('says to the minute when each model version was first and last seen, also over whole hours', () => {
  const v4 = { name: 'credit-default', version: '4', alias: 'challenger' };
  put([at(0, 0), at(1, 2.5, { model: v4 }), at(2, 5.25, { model: v4 }), at(3, 9)]);
  const [, challenger] = store.overview.query({ from: T0, to: T0 + 10 * HOUR, bucket: 'hour' }).models;
  expect(challenger).toMatchObject({ version: '4', requests: 2 });
  expect(challenger!.firstSeen).toBe(T0 + 2.5 * HOUR);
  expect(challenger!.lastSeen).toBe(T0 + 5.25 * HOUR + 60_000);
});

it('adds each batch into the cells already stored, as a rebuild from the records counts them', () => {
  const latency = (total: number) => ({ latency_ms: { total, queue: 0.1, inference: total / 2 } });
  // Three batches over the same minutes: latencies from 0.02 ms to 90 s, so stored histograms end at different bins.
  put([at(0, 0, latency(0.02)), at(1, 0, latency(3)), at(2, 1, latency(40))]);
  put([at(3, 0, latency(90_000)), at(4, 1, { status: 'invalid', http_status: 400, output: null })]);
  put([at(5, 0, latency(7)), at(6, 1, latency(0.5)), at(7, 1, { ...latency(12), degraded: true })]);
  const minutes = () => store.db.prepare('SELECT * FROM rollup_minute ORDER BY minute').raw().all();
  const hours = () => store.db.prepare('SELECT * FROM rollup_hour ORDER BY hour').raw().all();
  const answers = () => [store.overview.query({ bucket: 'hour' }), store.overview.query({ bucket: 'day' })];
  const before = { answers: answers(), hours: hours(), minutes: minutes() };
  store.rebuildRollups();
  expect({ answers: answers(), hours: hours(), minutes: minutes() }).toEqual(before);
  expect(before.answers[1]!.totals).toMatchObject({ requests: 8, invalid: 1, degraded: 1 });
});

it('stores a histogram without its trailing zero counts, and reads short and full ones alike', () => {
  const hist = new Uint32Array(LATENCY_BINS);
  hist[3] = 2;
  hist[10] = 5;
  const blob = histToBlob(hist);
  expect(blob.length).toBe(11 * 4);
  expect(histToBlob(new Uint32Array(LATENCY_BINS)).length).toBe(4);
  const full = Buffer.alloc(LATENCY_BINS * 4);
  full.writeUInt32LE(1, 10 * 4);
  full.writeUInt32LE(4, 100 * 4);
  const sum = new Uint32Array(LATENCY_BINS);
  addBlob(sum, addHistBlobs(blob, full));
  expect([sum[3], sum[10], sum[100], sum.reduce((a, b) => a + b, 0)]).toEqual([2, 6, 4, 12]);
});
