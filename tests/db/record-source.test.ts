import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { compileInputSchema, type FieldSpec, type LogRecord } from '../../core/contract/index.ts';
import { APPLICANT_COLUMNS, flattenRecord } from '../../core/ingest/index.ts';
import { openStore, type Store } from '../../db/index.ts';
import { makeRecord, T0 } from '../core/ingest/fixtures.ts';

const schema = compileInputSchema(
  JSON.parse(readFileSync(new URL('../fixtures/input_schema.json', import.meta.url), 'utf8')) as unknown,
);
const field = (name: string): FieldSpec => schema.fieldsByName.get(name)!;

let store: Store;

beforeEach(() => {
  store = openStore(':memory:');
});

afterEach(() => {
  store.close();
});

function put(records: LogRecord[]): void {
  const source = store.openNamedSource('generator', 'test');
  store.writeBatch(source.id, { rows: records.map(flattenRecord), quarantined: [], lines: records.length });
}

it('has one column per field of the applicant schema, numbers and categories as the schema says', () => {
  expect(APPLICANT_COLUMNS.map((c) => c.name).sort()).toEqual(schema.fields.map((f) => f.name).sort());
  for (const column of APPLICANT_COLUMNS) {
    expect(column.kind === 'category').toBe(field(column.name).kind === 'category');
  }
});

it('reads number fields as Float64Array in time order, NaN when missing', () => {
  put([makeRecord(2), makeRecord(0), makeRecord(1), makeRecord(5)]);
  const data = store.readColumns({}, [field('AMT_INCOME_TOTAL'), field('AMT_ANNUITY')]);
  expect(data.count).toBe(4);
  expect(Array.from(data.ts)).toEqual([0, 1, 2, 5].map((i) => T0 + i * 1000));
  expect(Array.from(data.numbers.get('AMT_INCOME_TOTAL')!)).toEqual([100000, 100010, 100020, 100050]);
  expect(Array.from(data.numbers.get('AMT_ANNUITY')!)).toEqual([NaN, 24700.5, 24700.5, NaN]);
});

it('reads categories as codes into labels, schema categories first, unseen ones after, -1 when missing', () => {
  const odd = makeRecord(3);
  odd.input = { ...odd.input, NAME_INCOME_TYPE: 'Astronaut' };
  const missing = makeRecord(4);
  missing.input = { ...missing.input, NAME_INCOME_TYPE: null };
  put([makeRecord(0), makeRecord(1), odd, missing]);
  const data = store.readColumns({}, [field('NAME_INCOME_TYPE')]);
  const column = data.categories.get('NAME_INCOME_TYPE')!;
  expect(column.labels.slice(0, field('NAME_INCOME_TYPE').categories!.length)).toEqual(
    field('NAME_INCOME_TYPE').categories,
  );
  const decoded = Array.from(column.codes).map((code) => (code < 0 ? null : column.labels[code]));
  expect(decoded).toEqual(['Working', 'Pensioner', 'Astronaut', null]);
});

it('reads the predicted probability, NaN for records that have none', () => {
  put([makeRecord(1), makeRecord(2, { status: 'invalid', http_status: 400, output: null })]);
  const data = store.readColumns({}, []);
  expect(data.probability[0]).toBeCloseTo(0.37);
  expect(data.probability[1]).toBeNaN();
});

it('filters by a half-open time range, model and statuses', () => {
  put([
    makeRecord(0),
    makeRecord(1, { status: 'error', http_status: 500 }),
    makeRecord(2, { model: { name: 'credit-default', version: '4', alias: 'challenger' } }),
    makeRecord(3),
    makeRecord(4),
  ]);
  const ids = (filter: Parameters<Store['readColumns']>[0]) =>
    Array.from(store.readColumns(filter, []).ts).map((t) => (t - T0) / 1000);
  expect(ids({ from: T0 + 1000, to: T0 + 4000 })).toEqual([1, 2, 3]);
  expect(ids({ statuses: ['ok'] })).toEqual([0, 2, 3, 4]);
  expect(ids({ model: { name: 'credit-default', version: '3' } })).toEqual([0, 1, 3, 4]);
  expect(ids({ model: { name: 'other' } })).toEqual([]);
  expect(ids({ statuses: [] })).toEqual([]);
});

it('reads a schema field the table has no column for from the kept input fields', () => {
  const extra = makeRecord(0);
  extra.input = { ...extra.input, NEW_SCORE: 0.7 };
  put([extra, makeRecord(1)]);
  const spec: FieldSpec = { name: 'NEW_SCORE', kind: 'number', required: false, nullable: true };
  expect(Array.from(store.readColumns({}, [spec]).numbers.get('NEW_SCORE')!)).toEqual([0.7, NaN]);
});

it('keeps unknown record fields and wrongly typed inputs as JSON instead of dropping them', () => {
  const odd = { ...makeRecord(0), trace_id: 'abc', input: { ...makeRecord(0).input, AMT_CREDIT: 'lots' } };
  put([odd as LogRecord]);
  const row = store.db.prepare('SELECT AMT_CREDIT, input_extra, extra FROM predictions').get() as Record<
    string,
    unknown
  >;
  expect(row.AMT_CREDIT).toBeNull();
  expect(JSON.parse(row.input_extra as string)).toEqual({ AMT_CREDIT: 'lots' });
  expect(JSON.parse(row.extra as string)).toEqual({ trace_id: 'abc' });
});

it('keeps the original time text when it carries an offset the millisecond column cannot', () => {
  put([makeRecord(0, { ts: '2026-11-21T12:00:00.000+02:00' })]);
  const row = store.db.prepare('SELECT ts, extra FROM predictions').get() as { ts: number; extra: string };
  expect(row.ts).toBe(Date.parse('2026-11-21T10:00:00.000Z'));
  expect(JSON.parse(row.extra)).toEqual({ ts: '2026-11-21T12:00:00.000+02:00' });
});

it('reads the operational columns: status codes, latency and degraded flags', () => {
  put([
    makeRecord(0),
    makeRecord(1, { status: 'rejected', http_status: 429, latency_ms: null, output: null }),
    makeRecord(2, { degraded: true, served_by: 'fallback' }),
  ]);
  const data = store.readOperational({});
  expect(Array.from(data.status)).toEqual([0, 2, 0]);
  expect(Array.from(data.latencyMs)).toEqual([1, NaN, 3]);
  expect(Array.from(data.degraded)).toEqual([0, 0, 1]);
});

it('gives the first and last stored times, or null when empty', () => {
  expect(store.timeBounds()).toBeNull();
  put([makeRecord(7), makeRecord(3)]);
  expect(store.timeBounds()).toEqual({ from: T0 + 3000, to: T0 + 7000 });
});
