/**
 * Reads the stored records as columns for `core/analysis` (the RecordSource of core/analysis/source.ts).
 * Built for a million rows: one COUNT to size typed arrays, then one raw (array-per-row, no objects) scan in time
 * order inside a read transaction, so the count and the scan see the same snapshot.
 */
import type Database from 'better-sqlite3';
import type { FieldSpec } from '../core/contract/index.ts';
import {
  STATUS_CODES,
  type CategoryColumn,
  type ColumnData,
  type OperationalData,
  type RecordFilter,
  type TimeRange,
} from '../core/analysis/source.ts';
import { APPLICANT_COLUMN_KIND } from '../core/ingest/applicant-columns.ts';
import { StoreError } from './errors.ts';

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

interface Where {
  sql: string;
  params: unknown[];
}

export function buildWhere(filter: RecordFilter): Where {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.from !== undefined) {
    clauses.push('ts >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    clauses.push('ts < ?');
    params.push(filter.to);
  }
  if (filter.model) {
    clauses.push('model_name = ?');
    params.push(filter.model.name);
    if (filter.model.version !== undefined) {
      clauses.push('model_version = ?');
      params.push(filter.model.version);
    }
  }
  if (filter.statuses) {
    if (filter.statuses.length === 0) clauses.push('0');
    else clauses.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
    params.push(...filter.statuses);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** A stored column for the field, or its value in input_extra for a field the table has no column for. */
function fieldExpression(field: FieldSpec): string {
  if (!FIELD_NAME.test(field.name)) throw new StoreError(`field name "${field.name.slice(0, 64)}" cannot be read`);
  return APPLICANT_COLUMN_KIND.has(field.name) ? `"${field.name}"` : `json_extract(input_extra, '$.${field.name}')`;
}

/**
 * A category is read as two values: SQLite maps the schema's categories to their index (a small integer is far
 * cheaper to hand to JavaScript than a string), -1 for missing; only a category outside the schema comes as text.
 */
function categoryExpressions(field: FieldSpec, column: string): string[] {
  const known = field.categories ?? [];
  if (known.length === 0) return [`CASE WHEN ${column} IS NULL THEN -1 ELSE -2 END`, column];
  const cases = known.map((label, i) => `WHEN ${sqlString(label)} THEN ${i}`).join(' ');
  return [
    `CASE ${column} ${cases} ELSE CASE WHEN ${column} IS NULL THEN -1 ELSE -2 END END`,
    `CASE WHEN ${column} NOT IN (${known.map(sqlString).join(', ')}) THEN ${column} END`,
  ];
}

/** Typed arrays a scan writes into; numbers and codes hold one array per number / category field, in field order. */
export interface ColumnTargets {
  ts: Float64Array;
  probability: Float64Array;
  numbers: Float64Array[];
  codes: Int32Array[];
}

export function allocateTargets(
  fields: readonly FieldSpec[],
  count: number,
  memory: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes),
): ColumnTargets {
  const f64 = (): Float64Array => new Float64Array(memory(count * 8));
  const numbers: Float64Array[] = [];
  const codes: Int32Array[] = [];
  for (const field of fields) {
    if (field.kind === 'category') codes.push(new Int32Array(memory(count * 4)));
    else numbers.push(f64());
  }
  return { ts: f64(), probability: f64(), numbers, codes };
}

export function countRecords(db: Database.Database, filter: RecordFilter): number {
  const where = buildWhere(filter);
  return db
    .prepare(`SELECT count(*) FROM predictions ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}

/**
 * Scans the records matching `filter` in time order into `targets` from index `offset`, at most `limit` of them.
 * A category outside the schema gets code `categories.length + k`, k its place in the returned `unseen` list of
 * its field (one list per category field).
 */
export function scanColumns(
  db: Database.Database,
  filter: RecordFilter,
  fields: readonly FieldSpec[],
  targets: ColumnTargets,
  offset: number,
  limit: number,
): { rows: number; unseen: string[][] } {
  const where = buildWhere(filter);
  const selected: string[] = [];
  for (const field of fields) {
    const column = fieldExpression(field);
    if (field.kind === 'category') selected.push(...categoryExpressions(field, column));
    else selected.push(column);
  }
  const sql = `SELECT ts, probability${selected.map((e) => `, ${e}`).join('')} FROM predictions ${where.sql}
    ORDER BY ts, id`;
  const isCategory = fields.map((f) => f.kind === 'category');
  const categoryFields = fields.filter((f) => f.kind === 'category');
  const unseen = categoryFields.map(() => [] as string[]);
  const unseenIndex = categoryFields.map(() => new Map<string, number>());
  const known = categoryFields.map((f) => (f.categories ?? []).length);
  const { ts, probability, numbers, codes } = targets;
  const width = fields.length;
  const end = offset + limit;
  let i = offset;
  for (const row of db
    .prepare(sql)
    .raw()
    .iterate(...where.params) as IterableIterator<unknown[]>) {
    if (i >= end) break;
    ts[i] = row[0] as number;
    const p = row[1];
    probability[i] = typeof p === 'number' ? p : NaN;
    let column = 2;
    let n = 0;
    let c = 0;
    for (let f = 0; f < width; f++) {
      const value = row[column++];
      if (!isCategory[f]) {
        numbers[n++]![i] = typeof value === 'number' ? value : NaN;
        continue;
      }
      const text = row[column++];
      if (value === -2) {
        const label = typeof text === 'string' ? text : String(text);
        let k = unseenIndex[c]!.get(label);
        if (k === undefined) {
          k = unseen[c]!.length;
          unseen[c]!.push(label);
          unseenIndex[c]!.set(label, k);
        }
        codes[c]![i] = known[c]! + k;
      } else {
        codes[c]![i] = value as number;
      }
      c++;
    }
    i++;
  }
  return { rows: i - offset, unseen };
}

/** The ColumnData view of filled targets: categories get the schema's labels, then those found outside it. */
export function toColumnData(
  fields: readonly FieldSpec[],
  targets: ColumnTargets,
  count: number,
  unseen: string[][],
): ColumnData {
  const numbers = new Map<string, Float64Array>();
  const categories = new Map<string, CategoryColumn>();
  let n = 0;
  let c = 0;
  for (const field of fields) {
    if (field.kind === 'category') {
      categories.set(field.name, { codes: targets.codes[c]!, labels: [...(field.categories ?? []), ...unseen[c]!] });
      c++;
    } else {
      numbers.set(field.name, targets.numbers[n++]!);
    }
  }
  return { count, ts: targets.ts, numbers, categories, probability: targets.probability };
}

export function readColumns(db: Database.Database, filter: RecordFilter, fields: readonly FieldSpec[]): ColumnData {
  return db.transaction(() => {
    const count = countRecords(db, filter);
    const targets = allocateTargets(fields, count);
    const { unseen } = scanColumns(db, filter, fields, targets, 0, count);
    return toColumnData(fields, targets, count, unseen);
  })();
}

export function readOperational(db: Database.Database, filter: TimeRange): OperationalData {
  const where = buildWhere({ from: filter.from, to: filter.to });
  return db.transaction(() => {
    const count = db
      .prepare(`SELECT count(*) FROM predictions ${where.sql}`)
      .pluck()
      .get(...where.params) as number;
    const ts = new Float64Array(count);
    const status = new Uint8Array(count);
    const latencyMs = new Float64Array(count);
    const degraded = new Uint8Array(count);
    const rows = db
      .prepare(`SELECT ts, status, latency_total_ms, degraded FROM predictions ${where.sql} ORDER BY ts, id`)
      .raw()
      .iterate(...where.params) as IterableIterator<unknown[]>;
    let i = 0;
    for (const row of rows) {
      if (i >= count) break;
      ts[i] = row[0] as number;
      status[i] = STATUS_CODES[row[1] as keyof typeof STATUS_CODES] ?? STATUS_CODES.error;
      const latency = row[2];
      latencyMs[i] = typeof latency === 'number' ? latency : NaN;
      degraded[i] = row[3] === 1 ? 1 : 0;
      i++;
    }
    return { count, ts, status, latencyMs, degraded };
  })();
}
