import { expect, it } from 'vitest';
import { ingestPaths } from '../../../core/ingest/index.ts';
import { jsonl, line, makeRecord, useTempStores } from './fixtures.ts';
import type { Store } from '../../../db/index.ts';

const fixtures = useTempStores();
const newStore = fixtures.newStore;

/** Every table an import writes, without the wall-clock columns. */
function dump(store: Store): Record<string, unknown[]> {
  const all = (sql: string): unknown[] => store.db.prepare(sql).raw().all();
  return {
    predictions: all('SELECT * FROM predictions ORDER BY id'),
    quarantine: all('SELECT * FROM quarantine ORDER BY id'),
    rollup: all('SELECT * FROM rollup_minute ORDER BY minute, model_name, model_version'),
    sources: all(
      'SELECT id, kind, location, sha256, size, status, cursor, lines, inserted, duplicates, quarantined, error FROM sources ORDER BY id',
    ),
  };
}

function logFiles(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    if (i % 997 === 0) lines.push(`broken line ${i}`);
    else if (i % 1500 === 0) lines.push('');
    else lines.push(line(makeRecord(i % 5000)));
  }
  return [
    fixtures.dir().file('predictions-api-0-2026-11-21.jsonl.gz', jsonl(lines.slice(0, 3500)), { gzip: true }),
    fixtures.dir().file('predictions-api-0-2026-11-22.jsonl', jsonl(lines.slice(3500))),
  ];
}

it('gives the same store when an interrupted import is run again as a clean import', async () => {
  const files = logFiles();
  const clean = newStore();
  await ingestPaths(clean, files, { batchSize: 500 });

  const interrupted = newStore();
  const controller = new AbortController();
  const first = await ingestPaths(interrupted, files, {
    batchSize: 500,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.lines >= 1500) controller.abort();
    },
  });
  expect(first.aborted).toBe(true);
  expect(interrupted.count()).toBeLessThan(clean.count());
  expect(interrupted.catalog.listSources()[0]!.status).toBe('partial');

  const second = await ingestPaths(interrupted, files, { batchSize: 500 });
  expect(second.aborted).toBe(false);
  expect(dump(interrupted)).toEqual(dump(clean));
});

it('resumes after the last committed batch instead of reading the committed lines again', async () => {
  const files = logFiles();
  const store = newStore();
  const controller = new AbortController();
  const first = await ingestPaths(store, files, {
    batchSize: 500,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.lines >= 1000) controller.abort();
    },
  });
  const second = await ingestPaths(store, files, { batchSize: 500 });
  const clean = await ingestPaths(newStore(), files, { batchSize: 500 });
  expect(first.lines + second.lines).toBe(clean.lines);
  expect(first.inserted + second.inserted).toBe(clean.inserted);
  expect(first.duplicates + second.duplicates).toBe(clean.duplicates);
  expect(first.quarantined + second.quarantined).toBe(clean.quarantined);
});

it('records each run in the import history, the interrupted one as aborted', async () => {
  const files = logFiles();
  const store = newStore();
  const controller = new AbortController();
  await ingestPaths(store, files, { batchSize: 500, signal: controller.signal, onProgress: () => controller.abort() });
  await ingestPaths(store, files, { batchSize: 500 });
  expect(store.catalog.importHistory().map((run) => run.status)).toEqual(['complete', 'aborted']);
});
