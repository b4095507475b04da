import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { compileInputSchema, type LogRecord } from '../../core/contract/index.ts';
import { flattenRecord } from '../../core/ingest/index.ts';
import { openStore, type Store } from '../../db/index.ts';
import { makeRecord, T0 } from '../core/ingest/fixtures.ts';

const schema = compileInputSchema(
  JSON.parse(readFileSync(new URL('../fixtures/input_schema.json', import.meta.url), 'utf8')) as unknown,
);
const HOUR = 3_600_000;

let dir: string;
const stores: Store[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-parallel-'));
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function fill(file: string): void {
  const store = openStore(file);
  const records: LogRecord[] = [];
  for (let i = 0; i < 3000; i++) {
    const record = makeRecord(i, { ts: new Date(T0 + (i % 20) * HOUR + i).toISOString() });
    // Categories outside the schema, met first in different slices, and a wrong status now and then.
    if (i % 101 === 0) record.input = { ...record.input, NAME_INCOME_TYPE: i % 2 ? 'Astronaut' : 'Pirate' };
    if (i % 13 === 0) record.input = { ...record.input, CODE_GENDER: null };
    if (i % 17 === 0) Object.assign(record, { status: 'error', http_status: 500, output: null });
    records.push(record);
  }
  const source = store.openNamedSource('generator', 'test');
  store.writeBatch(source.id, { rows: records.map(flattenRecord), quarantined: [], lines: records.length });
  store.close();
}

function open(file: string, readThreads: number, parallelMinRows = 1): Store {
  const store = openStore(file, { readonly: true, readThreads, parallelMinRows });
  stores.push(store);
  return store;
}

function plain(data: ReturnType<Store['readColumns']>): unknown {
  return {
    count: data.count,
    ts: Array.from(data.ts),
    probability: Array.from(data.probability),
    numbers: [...data.numbers].map(([name, values]) => [name, Array.from(values)]),
    categories: [...data.categories].map(([name, c]) => [
      name,
      Array.from(c.codes, (k) => (k < 0 ? null : c.labels[k])),
    ]),
  };
}

it('reads the same columns with several threads as with one', () => {
  const file = join(dir, 'store.sqlite');
  fill(file);
  const filters = [
    {},
    { statuses: ['ok' as const] },
    { from: T0 + 3 * HOUR + 5, to: T0 + 17 * HOUR },
    { to: T0 + 2 * HOUR, model: { name: 'credit-default' } },
  ];
  const single = open(file, 1);
  const parallel = open(file, 3);
  for (const filter of filters) {
    const one = single.readColumns(filter, schema.fields);
    const three = parallel.readColumns(filter, schema.fields);
    expect(three.count).toBeGreaterThan(0);
    expect(plain(three)).toEqual(plain(one));
  }
});

it('lists the categories outside the schema once, after the schema ones', () => {
  const file = join(dir, 'store.sqlite');
  fill(file);
  const column = open(file, 3).readColumns({}, schema.fields).categories.get('NAME_INCOME_TYPE')!;
  const known = schema.fieldsByName.get('NAME_INCOME_TYPE')!.categories!;
  expect(column.labels.slice(0, known.length)).toEqual(known);
  expect([...column.labels.slice(known.length)].sort()).toEqual(['Astronaut', 'Pirate']);
});

it('reads a period under the parallel threshold on one thread, with the same columns', () => {
  const file = join(dir, 'store.sqlite');
  fill(file);
  const filter = { from: T0 + 4 * HOUR, to: T0 + 6 * HOUR };
  const one = open(file, 1).readColumns(filter, schema.fields);
  const small = open(file, 3, 1000).readColumns(filter, schema.fields);
  expect(small.count).toBe(300);
  expect(plain(small)).toEqual(plain(one));
});

/** Many chunks (one import batch each) whose times interleave, with labels outside the schema met in several. */
function fillChunks(file: string): void {
  const store = openStore(file);
  const source = store.openNamedSource('generator', 'test');
  for (let batch = 0; batch < 12; batch++) {
    const records: LogRecord[] = [];
    for (let k = 0; k < 250; k++) {
      const i = batch * 250 + k;
      // Each batch covers the same 20 hours: every chunk overlaps the others in time.
      const record = makeRecord(i, { ts: new Date(T0 + (k % 20) * HOUR + batch * 1000 + k).toISOString() });
      if (k === 7) record.input = { ...record.input, NAME_INCOME_TYPE: ['Pirate', 'Astronaut', 'Poet'][batch % 3]! };
      if (k % 11 === 0) record.input = { ...record.input, AMT_CREDIT: null, CODE_GENDER: null };
      if (k % 9 === 0) Object.assign(record, { status: k % 2 ? 'error' : 'invalid', http_status: 500, output: null });
      records.push(record);
    }
    store.writeBatch(source.id, { rows: records.map(flattenRecord), quarantined: [], lines: records.length });
  }
  store.close();
}

it('reads interleaved chunks with several threads as with one: same order, values and label lists', () => {
  const file = join(dir, 'store.sqlite');
  fillChunks(file);
  const single = open(file, 1);
  const parallel = [open(file, 2), open(file, 3)];
  const filters = [
    {},
    { statuses: ['ok' as const, 'invalid' as const] },
    { statuses: ['ok' as const], from: T0 + 2 * HOUR + 5, to: T0 + 15 * HOUR },
    { servedBy: 'champion' },
  ];
  for (const filter of filters) {
    const one = single.readColumns(filter, schema.fields);
    expect(one.count).toBeGreaterThan(1000);
    for (let i = 1; i < one.count; i++) expect(one.ts[i]!).toBeGreaterThanOrEqual(one.ts[i - 1]!);
    for (const store of parallel) {
      const many = store.readColumns(filter, schema.fields);
      expect(plain(many)).toEqual(plain(one));
      for (const [name, column] of one.categories) expect(many.categories.get(name)!.labels).toEqual(column.labels);
      for (const [name, column] of one.categories) expect(many.categories.get(name)!.codes).toEqual(column.codes);
    }
  }
});

it('sees records written by another connection after its first read (the file is memory-mapped, and grows)', () => {
  const file = join(dir, 'store.sqlite');
  fill(file);
  const reader = open(file, 3);
  const before = reader.readColumns({}, schema.fields);
  const writer = openStore(file);
  stores.push(writer);
  const later = Array.from({ length: 5000 }, (_, i) =>
    makeRecord(10_000 + i, { ts: new Date(T0 + 30 * HOUR + (i % 10) * HOUR + i).toISOString() }),
  );
  const source = writer.openNamedSource('generator', 'later');
  writer.writeBatch(source.id, { rows: later.map(flattenRecord), quarantined: [], lines: later.length });
  const after = reader.readColumns({}, schema.fields);
  expect(after.count).toBe(before.count + 5000);
  const fresh = open(file, 1).readColumns({}, schema.fields);
  expect(plain(after)).toEqual(plain(fresh));
});
