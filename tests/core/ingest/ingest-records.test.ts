import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LogRecord } from '../../../core/contract/index.ts';
import { ingestRecords } from '../../../core/ingest/index.ts';
import { openStore, type Store } from '../../../db/index.ts';
import { makeRecord } from './fixtures.ts';

let store: Store;

beforeEach(() => {
  store = openStore(':memory:');
});

afterEach(() => {
  store.close();
});

function* range(from: number, to: number): Generator<LogRecord> {
  for (let i = from; i < to; i++) yield makeRecord(i);
}

it('stores records given as objects, in batches', async () => {
  const summary = await ingestRecords(store, range(0, 250), 'demo', { batchSize: 100 });
  expect(summary).toMatchObject({ lines: 250, inserted: 250, duplicates: 0 });
  expect(store.count()).toBe(250);
});

it('accepts an async iterable', async () => {
  async function* slow(): AsyncGenerator<LogRecord> {
    yield* range(0, 3);
  }
  expect((await ingestRecords(store, slow(), 'demo')).inserted).toBe(3);
});

it('quarantines a record the log reader would refuse, numbered after those the source already gave', async () => {
  await ingestRecords(store, range(0, 5), 'demo');
  const bad = makeRecord(9, { ts: 'yesterday' });
  const summary = await ingestRecords(store, [makeRecord(5), bad], 'demo');
  expect(summary).toMatchObject({ inserted: 1, quarantined: 1, by_reason: { invalid_ts: 1 } });
  expect(store.catalog.listQuarantine().rows[0]).toMatchObject({ location: 'demo', lineNo: 7, reason: 'invalid_ts' });
});

it('counts records loaded twice as duplicates', async () => {
  await ingestRecords(store, range(0, 10), 'demo');
  const again = await ingestRecords(store, range(0, 10), 'demo');
  expect(again).toMatchObject({ inserted: 0, duplicates: 10 });
});

it('stops between batches when aborted', async () => {
  const controller = new AbortController();
  const summary = await ingestRecords(store, range(0, 1000), 'demo', {
    batchSize: 100,
    signal: controller.signal,
    onProgress: () => controller.abort(),
  });
  expect(summary.aborted).toBe(true);
  expect(store.count()).toBe(100);
});
