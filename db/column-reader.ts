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

interface CategoryTarget {
  codes: Int32Array;
  index: Map<string, number>;
  labels: string[];
}

export function readColumns(db: Database.Database, filter: RecordFilter, fields: readonly FieldSpec[]): ColumnData {
  const where = buildWhere(filter);
  const selected: string[] = [];
  for (const field of fields) {
    const column = fieldExpression(field);
    if (field.kind === 'category') selected.push(...categoryExpressions(field, column));
    else selected.push(column);
  }
  const countSql = `SELECT count(*) FROM predictions ${where.sql}`;
  const scanSql = `SELECT ts, probability${selected.map((e) => `, ${e}`).join('')} FROM predictions ${where.sql}
    ORDER BY ts, id`;
  return db.transaction(() => {
    const count = db
      .prepare(countSql)
      .pluck()
      .get(...where.params) as number;
    const ts = new Float64Array(count);
    const probability = new Float64Array(count);
    // Per selected field, in order: a number column, or a category (which takes two result columns).
    const numberTargets: Float64Array[] = [];
    const categoryTargets: CategoryTarget[] = [];
    const isCategory: boolean[] = [];
    const numbers = new Map<string, Float64Array>();
    const categories = new Map<string, CategoryColumn>();
    for (const field of fields) {
      if (field.kind === 'category') {
        const labels = [...(field.categories ?? [])];
        const target = { codes: new Int32Array(count), index: new Map(labels.map((l, i) => [l, i])), labels };
        categoryTargets.push(target);
        isCategory.push(true);
        categories.set(field.name, { codes: target.codes, labels });
      } else {
        const values = new Float64Array(count);
        numberTargets.push(values);
        isCategory.push(false);
        numbers.set(field.name, values);
      }
    }
    const width = fields.length;
    let i = 0;
    const rows = db
      .prepare(scanSql)
      .raw()
      .iterate(...where.params) as IterableIterator<unknown[]>;
    for (const row of rows) {
      if (i >= count) break;
      ts[i] = row[0] as number;
      const p = row[1];
      probability[i] = typeof p === 'number' ? p : NaN;
      let column = 2;
      let n = 0;
      let c = 0;
      for (let f = 0; f < width; f++) {
        const value = row[column++];
        if (!isCategory[f]) {
          numberTargets[n++]![i] = typeof value === 'number' ? value : NaN;
          continue;
        }
        const target = categoryTargets[c++]!;
        const text = row[column++];
        target.codes[i] = value === -2 ? unseenCode(target, text) : (value as number);
      }
      i++;
    }
    return { count, ts, numbers, categories, probability };
  })();
}

/** The code of a category the schema does not list, added after the schema's own in order of appearance. */
function unseenCode(target: CategoryTarget, value: unknown): number {
  const label = typeof value === 'string' ? value : String(value);
  let code = target.index.get(label);
  if (code === undefined) {
    code = target.labels.length;
    target.labels.push(label);
    target.index.set(label, code);
  }
  return code;
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
