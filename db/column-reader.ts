/**
 * Reads the stored records as columns for `core/analysis` (the RecordSource of core/analysis/source.ts).
 *
 * Built for a million rows. better-sqlite3 builds each returned row as a JavaScript array one element at a time,
 * about 0.2 µs per value, so a row-returning scan spent most of its time there. Instead the scan calls a function
 * registered on the connection once per row (`count(vigie_column_row(…))`): the values arrive as plain call
 * arguments, written straight into typed arrays, and nothing is returned per row.
 *
 * Rows are scanned in rowid order when the period's rows are mostly in rowid order (one cheap pass over the
 * table), else through the `ts` index; either way they are then put in (ts, id) order in JavaScript when they
 * are not already, so the order never depends on how SQLite chose to scan.
 */
import type Database from 'better-sqlite3';
import type { FieldSpec } from '../core/contract/index.ts';
import type { CategoryColumn, ColumnData, RecordFilter, TimeRange } from '../core/analysis/source.ts';
import { APPLICANT_COLUMN_KIND } from '../core/ingest/applicant-columns.ts';
import { StoreError } from './errors.ts';
import { putInTimeOrder } from './time-order.ts';

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const ROW_FUNCTION = 'vigie_column_row';

interface Where {
  sql: string;
  params: unknown[];
}

/** `ts` names the time column in the clauses: `+ts` keeps SQLite from scanning the ts index for them. */
export function buildWhere(filter: RecordFilter, ts = 'ts'): Where {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.from !== undefined) {
    clauses.push(`${ts} >= ?`);
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    clauses.push(`${ts} < ?`);
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
  if (filter.servedBy !== undefined) {
    clauses.push('served_by = ?');
    params.push(filter.servedBy);
  }
  if (filter.statuses) {
    if (filter.statuses.length === 0) clauses.push('0');
    else clauses.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
    params.push(...filter.statuses);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** How the row function reads one field's arguments. */
const NUMBER = 0;
/** A category column (TEXT): one argument, the schema index of the label, -1 when missing, else the label itself. */
const CATEGORY = 1;
/** A category kept in input_extra, where a value may be a number: its code (-2: outside the schema), then its value. */
const EXTRA_CATEGORY = 2;

/** The row function's arguments for `fields`: ts, id, probability, then each field's, in field order. */
function rowArguments(fields: readonly FieldSpec[]): { args: string[]; kinds: Uint8Array } {
  const args = ['ts', 'id', 'probability'];
  const kinds = new Uint8Array(fields.length);
  fields.forEach((field, f) => {
    if (!FIELD_NAME.test(field.name)) throw new StoreError(`field name "${field.name.slice(0, 64)}" cannot be read`);
    const stored = APPLICANT_COLUMN_KIND.has(field.name);
    const column = stored ? `"${field.name}"` : `json_extract(input_extra, '$.${field.name}')`;
    if (field.kind !== 'category') {
      kinds[f] = NUMBER;
      args.push(column);
      return;
    }
    // SQLite maps the schema's labels to their index: a small integer is far cheaper to hand over than a string.
    const known = field.categories ?? [];
    const cases = known.map((label, i) => `WHEN ${sqlString(label)} THEN ${i}`).join(' ');
    if (stored) {
      kinds[f] = CATEGORY;
      args.push(known.length ? `CASE ${column} ${cases} ELSE coalesce(${column}, -1) END` : `coalesce(${column}, -1)`);
      return;
    }
    kinds[f] = EXTRA_CATEGORY;
    const outside = `CASE WHEN ${column} IS NULL THEN -1 ELSE -2 END`;
    args.push(known.length ? `CASE ${column} ${cases} ELSE ${outside} END` : outside);
    args.push(
      known.length ? `CASE WHEN ${column} NOT IN (${known.map(sqlString).join(', ')}) THEN ${column} END` : column,
    );
  });
  return { args, kinds };
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

/**
 * Where a scan of one period looks: at most `count` records (all statuses and models) with ids in [lo, hi], read in
 * rowid order when they fill at least half of that id range.
 */
export interface ScanBounds {
  count: number;
  lo: number;
  hi: number;
  byRowid: boolean;
}

/** Indices into the shared control array of a parallel read: the next slice to claim, the workers finished. */
export const CLAIMED = 0;
export const FINISHED = 1;

export function scanBounds(db: Database.Database, range: TimeRange): ScanBounds {
  let count: number;
  let lo: number | null;
  let hi: number | null;
  if (range.from === undefined && range.to === undefined) {
    // Each of these is answered from one b-tree without visiting the rows.
    count = db.prepare('SELECT count(*) FROM predictions').pluck().get() as number;
    lo = db.prepare('SELECT min(id) FROM predictions').pluck().get() as number | null;
    hi = db.prepare('SELECT max(id) FROM predictions').pluck().get() as number | null;
  } else {
    const where = buildWhere({ from: range.from, to: range.to });
    [count, lo, hi] = db
      .prepare(`SELECT count(*), min(id), max(id) FROM predictions ${where.sql}`)
      .raw()
      .get(...where.params) as [number, number | null, number | null];
  }
  if (count === 0 || lo === null || hi === null) return { count: 0, lo: 0, hi: -1, byRowid: true };
  return { count, lo, hi, byRowid: count * 2 >= hi - lo + 1 };
}

/** Receives the rows of one scan from the row function and writes them into typed arrays. */
class RowSink {
  private kinds: Uint8Array = new Uint8Array(0);
  private floats: Float64Array[] = [];
  private codes: Int32Array[] = [];
  private known: number[] = [];
  private unseen: string[][] = [];
  private unseenIndex: Array<Map<string, number>> = [];
  /** The rows' ids, to put them in (ts, id) order afterwards. */
  ids: Float64Array = new Float64Array(0);
  private start = 0;
  private next = 0;
  private end = 0;

  begin(fields: readonly FieldSpec[], kinds: Uint8Array, targets: ColumnTargets, offset: number, limit: number): void {
    const categories = fields.filter((f) => f.kind === 'category');
    this.kinds = kinds;
    this.floats = [targets.ts, targets.probability, ...targets.numbers];
    this.codes = targets.codes;
    this.known = categories.map((f) => (f.categories ?? []).length);
    this.unseen = categories.map(() => []);
    this.unseenIndex = categories.map(() => new Map());
    this.ids = new Float64Array(limit);
    this.start = offset;
    this.next = offset;
    this.end = offset + limit;
  }

  finish(): { rows: number; unseen: string[][] } {
    const result = { rows: this.next - this.start, unseen: this.unseen };
    this.floats = [];
    this.codes = [];
    return result;
  }

  private unseenCode(c: number, value: unknown): number {
    const label = typeof value === 'string' ? value : String(value);
    const index = this.unseenIndex[c]!;
    let k = index.get(label);
    if (k === undefined) {
      k = this.unseen[c]!.push(label) - 1;
      index.set(label, k);
    }
    return this.known[c]! + k;
  }

  row(values: unknown[]): number {
    const i = this.next;
    // A record stored after the bounds were read (another connection) is left for the next read.
    if (i >= this.end) return 0;
    const floats = this.floats;
    const codes = this.codes;
    const kinds = this.kinds;
    floats[0]![i] = values[0] as number;
    this.ids[i - this.start] = values[1] as number;
    const p = values[2];
    floats[1]![i] = typeof p === 'number' ? p : NaN;
    let a = 3;
    let n = 2;
    let c = 0;
    for (let f = 0; f < kinds.length; f++) {
      const value = values[a++];
      const kind = kinds[f];
      if (kind === NUMBER) {
        floats[n++]![i] = typeof value === 'number' ? value : NaN;
        continue;
      }
      if (kind === CATEGORY) codes[c]![i] = typeof value === 'number' ? value : this.unseenCode(c, value);
      else {
        const text = values[a++];
        codes[c]![i] = value === -2 ? this.unseenCode(c, text) : (value as number);
      }
      c++;
    }
    this.next = i + 1;
    return 1;
  }
}

const sinks = new WeakMap<Database.Database, RowSink>();

function sinkOf(db: Database.Database): RowSink {
  let sink = sinks.get(db);
  if (!sink) {
    const created = new RowSink();
    db.function(ROW_FUNCTION, { varargs: true, directOnly: true }, (...values: unknown[]) => created.row(values));
    sinks.set(db, created);
    sink = created;
  }
  return sink;
}

/**
 * Scans the records matching `filter` within `bounds` into `targets` from index `offset` (room for `bounds.count`),
 * in (ts, id) order. A category outside the schema gets code `categories.length + k`, k its place in the returned
 * `unseen` list of its field (one list per category field).
 */
export function scanColumns(
  db: Database.Database,
  filter: RecordFilter,
  bounds: ScanBounds,
  fields: readonly FieldSpec[],
  targets: ColumnTargets,
  offset: number,
): { rows: number; unseen: string[][] } {
  const { args, kinds } = rowArguments(fields);
  const sink = sinkOf(db);
  sink.begin(fields, kinds, targets, offset, bounds.count);
  let result: { rows: number; unseen: string[][] };
  try {
    if (bounds.count > 0) {
      const where = buildWhere(filter, bounds.byRowid ? '+ts' : 'ts');
      const ids = bounds.byRowid ? 'id BETWEEN ? AND ?' : '+id BETWEEN ? AND ?';
      db.prepare(
        `SELECT count(${ROW_FUNCTION}(${args.join(', ')})) FROM predictions
        ${where.sql ? `${where.sql} AND ${ids}` : `WHERE ${ids}`}`,
      )
        .pluck()
        .get(...where.params, bounds.lo, bounds.hi);
    }
  } finally {
    result = sink.finish();
  }
  const columns = [targets.ts, targets.probability, ...targets.numbers, ...targets.codes];
  const reordered = putInTimeOrder(columns, targets.ts, sink.ids, offset, result.rows);
  sink.ids = new Float64Array(0);
  if (reordered) {
    const known = fields.filter((f) => f.kind === 'category').map((f) => (f.categories ?? []).length);
    result.unseen.forEach((labels, c) => {
      if (labels.length > 1)
        renumberUnseen(targets.codes[c]!.subarray(offset, offset + result.rows), known[c]!, labels);
    });
  }
  return result;
}

/**
 * Lists a field's labels outside the schema in the order the sorted records first show them, as a scan in time
 * order would have met them.
 */
export function renumberUnseen(codes: Int32Array, known: number, labels: string[]): void {
  const renumbered = new Int32Array(labels.length).fill(-1);
  const order: string[] = [];
  for (let i = 0; i < codes.length && order.length < labels.length; i++) {
    const k = codes[i]! - known;
    if (k >= 0 && renumbered[k] === -1) renumbered[k] = order.push(labels[k]!) - 1;
  }
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= known) codes[i] = known + renumbered[codes[i]! - known]!;
  labels.splice(0, labels.length, ...order);
}

/**
 * The ColumnData view of filled targets (`count` records from index 0): categories get the schema's labels, then
 * those found outside it.
 */
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
      const codes = targets.codes[c]!.subarray(0, count);
      categories.set(field.name, { codes, labels: [...(field.categories ?? []), ...unseen[c]!] });
      c++;
    } else {
      numbers.set(field.name, targets.numbers[n++]!.subarray(0, count));
    }
  }
  return {
    count,
    ts: targets.ts.subarray(0, count),
    numbers,
    categories,
    probability: targets.probability.subarray(0, count),
  };
}

export function readColumns(db: Database.Database, filter: RecordFilter, fields: readonly FieldSpec[]): ColumnData {
  return db.transaction(() => {
    const bounds = scanBounds(db, filter);
    const targets = allocateTargets(fields, bounds.count);
    const { rows, unseen } = scanColumns(db, filter, bounds, fields, targets, 0);
    return toColumnData(fields, targets, rows, unseen);
  })();
}
