/**
 * Reads the scored requests of a period for a replay (core/replay's ReplaySource), a batch at a time: keyset pages
 * on the rowid (`id > last`), so each page continues where the previous one stopped and memory holds one page.
 * The canary arm and the shadow answer are read from `extra`, where ingest keeps the fields it has no column for.
 * Outcomes come from the labels table, by request id, else by applicant reference, when it has rows.
 */
import type Database from 'better-sqlite3';
import type { Applicant } from '../core/contract/index.ts';
import { APPLICANT_COLUMNS } from '../core/ingest/applicant-columns.ts';
import type { ReplayBatch, ReplayFilter, ReplayReadOptions } from '../core/replay/index.ts';

const NO_DECISION = 255;
const FIELDS = APPLICANT_COLUMNS.filter((column) => column.name !== 'SK_ID_CURR').map((column) => column.name);
const FIXED = 8;

/** `ts` names the time column: `+ts` keeps SQLite walking the rowid instead of the ts index, which re-sorts pages. */
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

export function* replayBatches(
  db: Database.Database,
  filter: ReplayFilter,
  options: ReplayReadOptions,
): Generator<ReplayBatch> {
  const withLabels = countLabels(db) > 0;
  const outcome = withLabels
    ? `coalesce((SELECT outcome FROM labels l WHERE l.request_id = p.request_id ORDER BY observed_at DESC LIMIT 1),
       (SELECT outcome FROM labels l WHERE l.applicant_ref = p.applicant_ref ORDER BY observed_at DESC LIMIT 1))`
    : 'NULL';
  const shadow = options.withShadow
    ? `, json_extract(extra, '$.shadow.model.name'), json_extract(extra, '$.shadow.model.version'),
       json_extract(extra, '$.shadow.probability'), json_extract(extra, '$.shadow.decision'),
       json_extract(extra, '$.shadow.latency_ms'), json_extract(extra, '$.shadow.error')`
    : '';
  const { sql, params } = where(filter, '+ts');
  const statement = db
    .prepare(
      `SELECT id, probability, decision, served_by, latency_inference_ms, json_extract(extra, '$.arm'), ${outcome},
       input_extra, ${FIELDS.map((name) => `"${name}"`).join(', ')} ${shadow}
       FROM predictions p WHERE id > ? AND ${sql} ORDER BY id LIMIT ?`,
    )
    .raw();
  let last = 0;
  for (;;) {
    const page = statement.all(last, ...params, options.batchSize) as unknown[][];
    if (page.length === 0) return;
    const count = page.length;
    const batch: ReplayBatch = {
      count,
      applicants: new Array<Applicant>(count),
      probability: new Float64Array(count),
      refused: new Uint8Array(count),
      servedBy: new Array<string | null>(count),
      inferenceMs: new Float64Array(count),
      outcome: new Int8Array(count),
      arm: new Array<string | null>(count),
    };
    const shadowAnswers = options.withShadow
      ? {
          model: new Array<string | null>(count),
          probability: new Float64Array(count),
          refused: new Uint8Array(count),
          latencyMs: new Float64Array(count),
          error: new Array<string | null>(count),
        }
      : undefined;
    for (let i = 0; i < count; i += 1) {
      const row = page[i]!;
      batch.probability[i] = numberOr(row[1]);
      batch.refused[i] = decisionCode(row[2]);
      batch.servedBy[i] = (row[3] as string | null) ?? null;
      batch.inferenceMs[i] = numberOr(row[4]);
      batch.arm[i] = typeof row[5] === 'string' ? row[5] : null;
      batch.outcome[i] = row[6] === 1 ? 1 : row[6] === 0 ? 0 : -1;
      const applicant: Applicant = {};
      for (let f = 0; f < FIELDS.length; f += 1) {
        const value = row[FIXED + f];
        if (value !== null) applicant[FIELDS[f]!] = value as number | string;
      }
      if (row[7] !== null) Object.assign(applicant, JSON.parse(row[7] as string) as Applicant);
      batch.applicants[i] = applicant;
      if (shadowAnswers) {
        const base = FIXED + FIELDS.length;
        const name = row[base];
        const error = row[base + 5];
        const answered = typeof name === 'string' || typeof error === 'string';
        shadowAnswers.model[i] = answered ? `${String(name ?? '?')}/${String(row[base + 1] ?? '?')}` : null;
        shadowAnswers.probability[i] = numberOr(row[base + 2]);
        shadowAnswers.refused[i] = decisionCode(row[base + 3]);
        shadowAnswers.latencyMs[i] = numberOr(row[base + 4]);
        shadowAnswers.error[i] = typeof error === 'string' ? error : null;
      }
    }
    if (shadowAnswers) batch.shadow = shadowAnswers;
    last = page[count - 1]![0] as number;
    yield batch;
  }
}
