import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { compileInputSchema, type FieldSpec, type LogRecord } from '../../core/contract/index.ts';
import { flattenRecord } from '../../core/ingest/index.ts';
import { openStore, type Store } from '../../db/index.ts';
import { makeRecord, T0 } from '../core/ingest/fixtures.ts';

const schema = compileInputSchema(
  JSON.parse(readFileSync(new URL('../fixtures/input_schema.json', import.meta.url), 'utf8')) as unknown,
);
const field = (name: string): FieldSpec => schema.fieldsByName.get(name)!;
const HOUR = 3_600_000;

let store: Store;

beforeEach(() => {
  store = openStore(':memory:');
});

afterEach(() => {
  store.close();
});

/** Stores `records` in that order, one batch per call (as one imported file). */
function put(records: LogRecord[]): void {
  const source = store.openNamedSource('generator', `test-${Math.random()}`);
  store.writeBatch(source.id, { rows: records.map(flattenRecord), quarantined: [], lines: records.length });
}

function at(i: number, ts: number, overrides: Partial<LogRecord> = {}): LogRecord {
  return makeRecord(i, { ts: new Date(ts).toISOString(), ...overrides });
}

/** What a reader must return for `records` stored in that order: the matching ones by time, then storing order. */
function expected(records: LogRecord[], keep: (r: LogRecord) => boolean): LogRecord[] {
  return records
    .map((record, stored) => ({ record, stored }))
    .filter(({ record }) => keep(record))
    .sort((a, b) => Date.parse(a.record.ts) - Date.parse(b.record.ts) || a.stored - b.stored)
    .map(({ record }) => record);
}

it('reads records of files imported one after the other in time order, equal times in the order stored', () => {
  // Two replicas' files of the same hours, imported one after the other: their records interleave in time.
  const first = Array.from({ length: 50 }, (_, i) => at(i, T0 + i * 1000));
  const second = Array.from({ length: 50 }, (_, i) => at(100 + i, T0 + i * 1000 + (i % 3 === 0 ? 0 : 500)));
  put(first);
  put(second);
  const all = [...first, ...second];
  const data = store.readColumns({}, [field('AMT_INCOME_TOTAL')]);
  const want = expected(all, () => true);
  expect(Array.from(data.ts)).toEqual(want.map((r) => Date.parse(r.ts)));
  expect(Array.from(data.numbers.get('AMT_INCOME_TOTAL')!)).toEqual(want.map((r) => r.input!.AMT_INCOME_TOTAL));
});

it('reads a period whose records are spread thinly over the stored ones in time order', () => {
  // The last hour's records are every tenth stored record, so the period is read through the time index.
  const records = Array.from({ length: 400 }, (_, i) => at(i, i % 10 === 0 ? T0 + 5 * HOUR + (400 - i) : T0 + i));
  put(records);
  const from = T0 + 5 * HOUR;
  const data = store.readColumns({ from, statuses: ['ok'] }, [field('CNT_CHILDREN'), field('CODE_GENDER')]);
  const want = expected(records, (r) => Date.parse(r.ts) >= from);
  expect(data.count).toBe(40);
  expect(Array.from(data.ts)).toEqual(want.map((r) => Date.parse(r.ts)));
  expect(Array.from(data.numbers.get('CNT_CHILDREN')!)).toEqual(want.map((r) => r.input!.CNT_CHILDREN));
  const gender = data.categories.get('CODE_GENDER')!;
  expect(Array.from(gender.codes, (k) => gender.labels[k])).toEqual(want.map((r) => r.input!.CODE_GENDER));
});

it('lists categories outside the schema in the order the records show them in time', () => {
  const later = at(0, T0 + HOUR, { input: { ...makeRecord(0).input, NAME_INCOME_TYPE: 'Pirate' } });
  const earlier = at(1, T0, { input: { ...makeRecord(1).input, NAME_INCOME_TYPE: 'Astronaut' } });
  put([later, earlier]);
  const column = store.readColumns({}, [field('NAME_INCOME_TYPE')]).categories.get('NAME_INCOME_TYPE')!;
  const known = field('NAME_INCOME_TYPE').categories!.length;
  expect(column.labels.slice(known)).toEqual(['Astronaut', 'Pirate']);
  expect(Array.from(column.codes)).toEqual([known, known + 1]);
});

it('reads a category field the table has no column for, a number among its values as its text', () => {
  const values: unknown[] = ['a', null, 'zz', 5, 'b'];
  put(values.map((value, i) => at(i, T0 + i, { input: { ...makeRecord(i).input, NEW_KIND: value } })));
  const spec: FieldSpec = {
    name: 'NEW_KIND',
    kind: 'category',
    required: false,
    nullable: true,
    categories: ['a', 'b'],
  };
  const column = store.readColumns({}, [spec]).categories.get('NEW_KIND')!;
  expect(column.labels).toEqual(['a', 'b', 'zz', '5']);
  expect(Array.from(column.codes)).toEqual([0, -1, 2, 3, 1]);
});

it('reads no records from an empty store or an empty period', () => {
  expect(store.readColumns({}, schema.fields).count).toBe(0);
  put([at(0, T0)]);
  const data = store.readColumns({ from: T0 + 1 }, schema.fields);
  expect(data.count).toBe(0);
  expect(data.numbers.get('AMT_CREDIT')!.length).toBe(0);
});

it('reads the operational columns of files imported one after the other in time order', () => {
  const first = Array.from({ length: 30 }, (_, i) =>
    at(i, T0 + i * 1000, { latency_ms: { total: i, queue: 0, inference: i } }),
  );
  const second = Array.from({ length: 30 }, (_, i) =>
    at(100 + i, T0 + i * 1000 + 500, {
      status: i % 4 === 0 ? 'error' : 'ok',
      http_status: i % 4 === 0 ? 500 : 200,
      degraded: i % 3 === 0,
      latency_ms: i % 5 === 0 ? null : { total: 100 + i, queue: 0, inference: i },
    }),
  );
  put(first);
  put(second);
  const data = store.readOperational({ from: T0 + 2000 });
  const want = expected([...first, ...second], (r) => Date.parse(r.ts) >= T0 + 2000);
  expect(Array.from(data.ts)).toEqual(want.map((r) => Date.parse(r.ts)));
  expect(Array.from(data.status)).toEqual(want.map((r) => (r.status === 'error' ? 3 : 0)));
  expect(Array.from(data.degraded)).toEqual(want.map((r) => (r.degraded ? 1 : 0)));
  expect(Array.from(data.latencyMs)).toEqual(want.map((r) => r.latency_ms?.total ?? NaN));
});
