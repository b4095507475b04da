import { afterEach, beforeEach, expect, it } from 'vitest';
import { flattenRecord } from '../../core/ingest/index.ts';
import { openStore, type Store } from '../../db/index.ts';
import { makeRecord } from '../core/ingest/fixtures.ts';

let store: Store;

beforeEach(() => {
  store = openStore(':memory:');
});

afterEach(() => {
  store.close();
});

it('refuses a batch for a source that does not exist and stores nothing of it', () => {
  const batch = {
    rows: [flattenRecord(makeRecord(0))],
    quarantined: [{ lineNo: 2, reason: 'invalid_json', detail: 'x', excerpt: '{' }],
    lines: 2,
  };
  expect(() => store.writeBatch(999, batch)).toThrow('no source with id 999');
  expect(store.db.prepare('SELECT count(*) FROM predictions').pluck().get()).toBe(0);
  expect(store.db.prepare('SELECT count(*) FROM quarantine').pluck().get()).toBe(0);
  expect(store.count()).toBe(0);
});

it('keeps foreign key checks on after writing a batch', () => {
  const source = store.openNamedSource('generator', 'test');
  store.writeBatch(source.id, { rows: [flattenRecord(makeRecord(0))], quarantined: [], lines: 1 });
  expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
});
