import { expect, it } from 'vitest';
import { ingestPaths } from '../../../core/ingest/index.ts';
import type { Store } from '../../../db/index.ts';
import { jsonl, line, makeRecord, records, useTempStores } from './fixtures.ts';

const fixtures = useTempStores();
const newStore = fixtures.newStore;

function dump(store: Store): unknown[] {
  return [
    store.db.prepare('SELECT * FROM predictions ORDER BY id').raw().all(),
    store.db.prepare('SELECT source_id, line_no, reason, detail, excerpt FROM quarantine ORDER BY id').raw().all(),
    store.db.prepare('SELECT * FROM rollup_minute ORDER BY minute, model_name, model_version').raw().all(),
    store.db.prepare('SELECT * FROM rollup_hour ORDER BY hour, model_name, model_version').raw().all(),
    store.db.prepare('SELECT id, location, status, lines, inserted, duplicates, quarantined FROM sources').raw().all(),
  ];
}

/** Bad lines of every kind a reader meets, spread through good ones. */
function mixed(from: number, to: number): string[] {
  const record = makeRecord(from) as unknown as Record<string, unknown>;
  const bad = [
    'this is not JSON',
    line(record).slice(0, 200),
    '[1, 2, 3]',
    line({ ...record, request_id: 'x-1', format_version: 2 }),
    line({ ...record, request_id: undefined }),
    line({ ...record, request_id: 'has spaces' }),
    line({ ...record, request_id: 'x-2', ts: '21/11/2026 10:00' }),
    line({ ...record, request_id: 'x-3', status: 'maybe' }),
    line({ ...record, request_id: 'x-4', output: { probability: 2 } }),
    line({ ...record, request_id: 'x-5', latency_ms: { total: -1 } }),
    '',
    '   ',
    // Readable, but not in the canonical shape: stored through the general path.
    line({ ...record, request_id: 'x-6', ts: '2026-11-21T10:00:00+01:00', extra_field: { a: 1 } }),
    line({ ...record, request_id: 'x-7', input: { AMT_CREDIT: 'a lot', NEW_FIELD: 3 } }),
    `  ${line({ ...record, request_id: 'x-8' })}  `,
  ];
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    out.push(line(makeRecord(i)));
    if (i % 97 === 0) out.push(bad[(i / 97) % bad.length]!);
  }
  return out;
}

it('quarantines the same lines with the same reasons and messages on the reader threads as on one thread', async () => {
  const files = [
    fixtures.dir().file('predictions-api-0-2026-11-21.jsonl.gz', jsonl(mixed(0, 3000)), { gzip: true }),
    fixtures.dir().file('predictions-api-1-2026-11-21.jsonl', jsonl(mixed(3000, 6000))),
  ];
  const threaded = newStore();
  const inline = newStore();
  const a = await ingestPaths(threaded, files, { threads: true, batchSize: 1000 });
  const b = await ingestPaths(inline, files, { threads: false, batchSize: 1000 });
  expect(a.quarantined).toBeGreaterThan(40);
  expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
  expect(dump(threaded)).toEqual(dump(inline));
});

it('reads ahead across files, and still skips a copy of a file and counts repeated records once', async () => {
  const dir = fixtures.dir();
  const files = [
    dir.file('a.jsonl', jsonl(records(0, 3000))),
    // The same content under another name: skipped, not read ahead from its first line.
    dir.file('b.jsonl', jsonl(records(0, 3000))),
    // Half of it repeats records already stored: the prepared chunks are cut down to the new records.
    dir.file('c.jsonl.gz', jsonl(records(1500, 4500)), { gzip: true }),
    dir.file('d.jsonl', jsonl([...records(4500, 7000), ...records(4000, 4600)])),
  ];
  const threaded = newStore();
  const inline = newStore();
  const a = await ingestPaths(threaded, files, { threads: true, batchSize: 700 });
  const b = await ingestPaths(inline, files, { threads: false, batchSize: 700 });
  expect(a.skipped).toBe(1);
  expect(a.inserted).toBe(7000);
  expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
  expect(dump(threaded)).toEqual(dump(inline));
});

it('resumes an import stopped in the middle of a file read ahead, without losing or doubling a record', async () => {
  const dir = fixtures.dir();
  const files = [
    dir.file('a.jsonl', jsonl(records(0, 2500))),
    dir.file('b.jsonl', jsonl(mixed(2500, 6000))),
    dir.file('c.jsonl', jsonl(records(6000, 8500))),
  ];
  const clean = newStore();
  await ingestPaths(clean, files, { threads: false, batchSize: 500 });
  const store = newStore();
  const controller = new AbortController();
  const first = await ingestPaths(store, files, {
    batchSize: 500,
    signal: controller.signal,
    onProgress: (p) => p.lines >= 4000 && controller.abort(),
  });
  expect(first.aborted).toBe(true);
  expect(store.count()).toBeLessThan(8500);
  const second = await ingestPaths(store, files, { batchSize: 500 });
  expect(second.aborted).toBe(false);
  expect(store.count()).toBe(clean.count());
  expect(dump(store)).toEqual(dump(clean));
});
