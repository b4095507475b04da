import { expect, it } from 'vitest';
import { ingestPaths } from '../../../core/ingest/index.ts';
import { jsonl, records, useTempStores } from './fixtures.ts';
import type { Store } from '../../../db/index.ts';
import { gzipSync } from 'node:zlib';

const fixtures = useTempStores();
const newStore = fixtures.newStore;

function dump(store: Store): unknown[] {
  return [
    store.db.prepare('SELECT * FROM predictions ORDER BY id').raw().all(),
    store.db.prepare('SELECT * FROM quarantine ORDER BY id').raw().all(),
    store.db.prepare('SELECT * FROM rollup_minute ORDER BY minute').raw().all(),
  ];
}

it('stores the same records reading files on a worker thread as on the importing thread', async () => {
  const files = [
    fixtures.dir().file('predictions-api-0-2026-11-21.jsonl.gz', jsonl([...records(0, 3000), 'oops']), { gzip: true }),
    fixtures.dir().file('predictions-api-0-2026-11-22.jsonl', jsonl(records(2500, 4000))),
  ];
  const threaded = newStore();
  const inline = newStore();
  const a = await ingestPaths(threaded, files, { threads: true, batchSize: 700 });
  const b = await ingestPaths(inline, files, { threads: false, batchSize: 700 });
  expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
  expect(dump(threaded)).toEqual(dump(inline));
});

it('reports a damaged gzip read on a worker thread', async () => {
  const whole = gzipSync(Buffer.from(jsonl(records(0, 3000))));
  const file = fixtures.dir().file('a.jsonl.gz', whole.subarray(0, Math.floor(whole.length / 2)));
  const summary = await ingestPaths(newStore(), [file], { threads: true });
  expect(summary.sources[0]!.status).toBe('damaged');
  expect(summary.inserted).toBeGreaterThan(0);
});

it('resumes an import interrupted while a worker thread was reading', async () => {
  const file = fixtures.dir().file('a.jsonl.gz', jsonl(records(0, 5000)), { gzip: true });
  const clean = newStore();
  await ingestPaths(clean, [file], { threads: true, batchSize: 500 });
  const store = newStore();
  const controller = new AbortController();
  await ingestPaths(store, [file], {
    threads: true,
    batchSize: 500,
    signal: controller.signal,
    onProgress: (p) => p.lines >= 1000 && controller.abort(),
  });
  expect(store.count()).toBeLessThan(5000);
  await ingestPaths(store, [file], { threads: true, batchSize: 500 });
  expect(dump(store)).toEqual(dump(clean));
});
