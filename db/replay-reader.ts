/**
 * Reads the scored requests of a period for a replay (core/replay's ReplaySource) in bounded chunks of time: each
 * chunk's input fields come through the store's column reader (`readColumns`, typed arrays, whatever layout the store
 * keeps them in) and go to the replay as they are (no per-request objects), and the few per-request facts a replay needs beside them (logged decision, who served, inference
 * latency, canary arm, outcome, shadow answer) through one narrow scan of the same records in the same (ts, id) order,
 * both in one read transaction. Memory holds one chunk, whatever the period's length.
 *
 * Chunks are cut on the ts index (`LIMIT 1 OFFSET rows` walks index entries only): [from, next ts) holds about
 * `batchSize` records; records sharing one timestamp are never split across chunks.
 * The canary arm and the shadow answer are read from `extra`, where ingest keeps the fields it has no column for.
 * Outcomes come from the labels table, by request id, else by applicant reference, when it has rows.
 */
import type Database from 'better-sqlite3';
import type { ColumnData } from '../core/analysis/source.ts';
import type { FieldSpec } from '../core/contract/index.ts';
import { APPLICANT_COLUMNS } from '../core/ingest/applicant-columns.ts';
import type { ReplayBatch, ReplayFilter, ReplayReadOptions } from '../core/replay/index.ts';
import { readStoredColumns } from './chunk-reader.ts';
import { StoreError } from './errors.ts';
import { hasTable } from './migrate.ts';

const NO_DECISION = 255;
/** Who served, as small codes in SQL (strings cost far more to hand over); anything else comes as its text. */
const SERVED_BY = ['champion', 'fallback', 'rules', 'challenger'] as const;
/** Without a schema, every stored input column (categories then arrive as their labels). */
const STORED_FIELDS: readonly FieldSpec[] = APPLICANT_COLUMNS.filter((column) => column.name !== 'SK_ID_CURR').map(
  (column) => ({ name: column.name, kind: column.kind, required: false, nullable: true }),
);

function where(filter: ReplayFilter, ts: 'ts' | '+ts'): { sql: string; params: number[] } {
  const clauses = ["status = 'ok'"];
  const params: number[] = [];
  if (filter.from !== undefined) {
    clauses.push(`${ts} >= ?`);
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    clauses.push(`${ts} < ?`);
    params.push(filter.to);
  }
  return { sql: clauses.join(' AND '), params };
}

function decisionCode(decision: unknown): number {
  return decision === 'refuse' ? 1 : decision === 'approve' ? 0 : NO_DECISION;
}

function numberOr(value: unknown): number {
  return typeof value === 'number' ? value : NaN;
}

export function countScored(db: Database.Database, filter: ReplayFilter): number {
  const { sql, params } = where(filter, 'ts');
  return db
    .prepare(`SELECT count(*) FROM predictions WHERE ${sql}`)
    .pluck()
    .get(...params) as number;
}

export function countLabels(db: Database.Database): number {
  return db.prepare('SELECT count(*) FROM labels').pluck().get() as number;
}

/** Half-open time ranges of about `rows` records each (all statuses), covering the filter's period in order. */
export function* chunkRanges(db: Database.Database, filter: ReplayFilter, rows: number): Generator<ReplayFilter> {
  const first = db
    .prepare(`SELECT min(ts) FROM predictions${filter.from !== undefined ? ' WHERE ts >= ?' : ''}`)
    .pluck()
    .get(...(filter.from !== undefined ? [filter.from] : [])) as number | null;
  if (first === null || (filter.to !== undefined && first >= filter.to)) return;
  const ahead = db.prepare('SELECT ts FROM predictions WHERE ts >= ? ORDER BY ts LIMIT 1 OFFSET ?').pluck();
  const after = db.prepare('SELECT min(ts) FROM predictions WHERE ts > ?').pluck();
  let from = first;
  for (;;) {
    let next = ahead.get(from, rows) as number | null | undefined;
    if (next === from) next = after.get(from) as number | null;
    if (next === null || next === undefined || (filter.to !== undefined && next >= filter.to)) {
      yield { from, ...(filter.to !== undefined ? { to: filter.to } : {}) };
      return;
    }
    yield { from, to: next };
    from = next;
  }
}

const META_FUNCTION = 'vigie_replay_meta';

/** Receives the per-request facts of one chunk from the row function, in (ts, id) order, into typed arrays. */
class MetaSink {
  batch: ReplayBatch | null = null;
  private i = 0;

  begin(batch: ReplayBatch): void {
    this.batch = batch;
    this.i = 0;
  }

  row(row: unknown[]): null {
    const batch = this.batch!;
    const i = this.i++;
    if (i >= batch.count) return null; // counted after the check below: more rows than columns is an error
    batch.refused[i] = row[0] as number;
    const served = row[1];
    batch.servedBy[i] = typeof served === 'number' ? SERVED_BY[served]! : ((served as string | null) ?? null);
    batch.inferenceMs[i] = numberOr(row[2]);
    batch.arm[i] = typeof row[3] === 'string' ? row[3] : null;
    batch.outcome[i] = row[4] === 1 ? 1 : row[4] === 0 ? 0 : -1;
    const shadow = batch.shadow;
    if (shadow) {
      const name = row[5];
      const error = row[10];
      const answered = typeof name === 'string' || typeof error === 'string';
      shadow.model[i] = answered ? `${String(name ?? '?')}/${String(row[6] ?? '?')}` : null;
      shadow.probability[i] = numberOr(row[7]);
      shadow.refused[i] = decisionCode(row[8]);
      shadow.latencyMs[i] = numberOr(row[9]);
      shadow.error[i] = typeof error === 'string' ? error : null;
    }
    return null;
  }

  rows(): number {
    this.batch = null;
    return this.i;
  }
}

const sinks = new WeakMap<Database.Database, MetaSink>();

function sinkOf(db: Database.Database): MetaSink {
  let sink = sinks.get(db);
  if (!sink) {
    const created = new MetaSink();
    db.function(META_FUNCTION, { varargs: true, deterministic: false }, (...row: unknown[]) => created.row(row));
    sinks.set(db, (sink = created));
  }
  return sink;
}

/**
 * Whether the store keeps its records as column chunks (migration 0007, docs/decisions/1607-column-chunk-store.md):
 * then the input columns are copied from the chunks and the per-request facts scanned from the narrow row table, so
 * neither read decodes a record through the `predictions` view. A store not yet migrated (the wave-1 layout, as the
 * migration test reads it before and after) has only `predictions`.
 */
function chunked(db: Database.Database): boolean {
  return hasTable(db, 'record_chunks');
}

function metaStatement(
  db: Database.Database,
  table: string,
  withLabels: boolean,
  withShadow: boolean,
  filter: ReplayFilter,
) {
  const outcome = withLabels
    ? `coalesce((SELECT outcome FROM labels l WHERE l.request_id = p.request_id ORDER BY observed_at DESC LIMIT 1),
       (SELECT outcome FROM labels l WHERE l.applicant_ref = p.applicant_ref ORDER BY observed_at DESC LIMIT 1))`
    : 'NULL';
  const shadow = withShadow
    ? `, json_extract(extra, '$.shadow.model.name'), json_extract(extra, '$.shadow.model.version'),
       json_extract(extra, '$.shadow.probability'), json_extract(extra, '$.shadow.decision'),
       json_extract(extra, '$.shadow.latency_ms'), json_extract(extra, '$.shadow.error')`
    : '';
  const served = SERVED_BY.map((name, code) => `WHEN '${name}' THEN ${code}`).join(' ');
  const { sql } = where(filter, 'ts');
  // The arm and the shadow live in `extra`, NULL for most records: json_extract is only called where it is set.
  return db
    .prepare(
      `SELECT count(${META_FUNCTION}(
         CASE decision WHEN 'refuse' THEN 1 WHEN 'approve' THEN 0 ELSE ${NO_DECISION} END,
         CASE served_by ${served} ELSE served_by END, latency_inference_ms,
         CASE WHEN extra IS NULL THEN NULL ELSE json_extract(extra, '$.arm') END, ${outcome} ${shadow}))
       FROM (SELECT * FROM ${table} p WHERE ${sql} ORDER BY ts, id) p`,
    )
    .pluck();
}

function emptyBatch(columns: ColumnData, withShadow: boolean): ReplayBatch {
  const count = columns.count;
  const batch: ReplayBatch = {
    count,
    columns: { rows: count, numbers: columns.numbers, categories: columns.categories },
    probability: columns.probability,
    refused: new Uint8Array(count),
    servedBy: new Array<string | null>(count),
    inferenceMs: new Float64Array(count),
    outcome: new Int8Array(count),
    arm: new Array<string | null>(count),
  };
  if (withShadow) {
    batch.shadow = {
      model: new Array<string | null>(count),
      probability: new Float64Array(count),
      refused: new Uint8Array(count),
      latencyMs: new Float64Array(count),
      error: new Array<string | null>(count),
    };
  }
  return batch;
}

export function* replayBatches(
  db: Database.Database,
  filter: ReplayFilter,
  options: ReplayReadOptions,
): Generator<ReplayBatch> {
  const withShadow = options.withShadow === true;
  const fields = options.fields ?? STORED_FIELDS;
  const sink = sinkOf(db);
  const fromChunks = chunked(db);
  const table = fromChunks ? 'prediction_rows' : 'predictions';
  const meta = metaStatement(db, table, countLabels(db) > 0, withShadow, { from: 0, to: 0 });
  const readChunk = db.transaction((range: ReplayFilter): ReplayBatch => {
    const columns = readStoredColumns(db, { ...range, statuses: ['ok'] }, fields, { chunked: fromChunks });
    const batch = emptyBatch(columns, withShadow);
    sink.begin(batch);
    meta.get(range.from ?? Number.MIN_SAFE_INTEGER, range.to ?? Number.MAX_SAFE_INTEGER);
    const rows = sink.rows();
    if (rows !== columns.count)
      throw new StoreError(`the store changed during a replay read (${rows} records, ${columns.count} columns)`);
    return batch;
  });
  for (const range of chunkRanges(db, filter, options.batchSize)) {
    const batch = readChunk(range);
    if (batch.count > 0) yield batch;
  }
}
