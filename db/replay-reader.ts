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

const ROW_FUNCTION = 'vigie_replay_row';

/** Collects the rows of one page from the row function (values arrive as call arguments, nothing is returned). */
class PageSink {
  batch: ReplayBatch | null = null;
  withShadow = false;
  last = 0;
  private i = 0;

  begin(size: number, withShadow: boolean): void {
    this.i = 0;
    this.withShadow = withShadow;
    this.batch = {
      count: 0,
      applicants: new Array<Applicant>(size),
      probability: new Float64Array(size),
      refused: new Uint8Array(size),
      servedBy: new Array<string | null>(size),
      inferenceMs: new Float64Array(size),
      outcome: new Int8Array(size),
      arm: new Array<string | null>(size),
    };
    if (withShadow) {
      this.batch.shadow = {
        model: new Array<string | null>(size),
        probability: new Float64Array(size),
        refused: new Uint8Array(size),
        latencyMs: new Float64Array(size),
        error: new Array<string | null>(size),
      };
    }
  }

  row(row: unknown[]): null {
    const batch = this.batch!;
    const i = this.i++;
    this.last = row[0] as number;
    batch.probability[i] = numberOr(row[1]);
    batch.refused[i] = row[2] as number;
    batch.servedBy[i] = (row[3] as string | null) ?? null;
    batch.inferenceMs[i] = numberOr(row[4]);
    batch.arm[i] = typeof row[5] === 'string' ? row[5] : null;
    batch.outcome[i] = row[6] === 1 ? 1 : row[6] === 0 ? 0 : -1;
    // Every field is set, null when missing, in one order: all applicants share one shape, which keeps the
    // engine's packer and the comparison's field loops on V8's fast path.
    const applicant: Applicant = {};
    for (let f = 0; f < FIELDS.length; f += 1) applicant[FIELDS[f]!] = row[FIXED + f] as number | string | null;
    if (row[7] !== null) Object.assign(applicant, JSON.parse(row[7] as string) as Applicant);
    batch.applicants[i] = applicant;
    const shadow = batch.shadow;
    if (shadow) {
      const base = FIXED + FIELDS.length;
      const name = row[base];
      const error = row[base + 5];
      const answered = typeof name === 'string' || typeof error === 'string';
      shadow.model[i] = answered ? `${String(name ?? '?')}/${String(row[base + 1] ?? '?')}` : null;
      shadow.probability[i] = numberOr(row[base + 2]);
      shadow.refused[i] = decisionCode(row[base + 3]);
      shadow.latencyMs[i] = numberOr(row[base + 4]);
      shadow.error[i] = typeof error === 'string' ? error : null;
    }
    return null;
  }

  take(): ReplayBatch {
    const batch = this.batch!;
    batch.count = this.i;
    for (const key of ['applicants', 'servedBy', 'arm'] as const) batch[key].length = this.i;
    this.batch = null;
    return batch;
  }
}

const sinks = new WeakMap<Database.Database, PageSink>();

function sinkOf(db: Database.Database): PageSink {
  let sink = sinks.get(db);
  if (!sink) {
    const created = new PageSink();
    db.function(ROW_FUNCTION, { varargs: true, deterministic: false }, (...row: unknown[]) => created.row(row));
    sinks.set(db, (sink = created));
  }
  return sink;
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
  const withShadow = options.withShadow === true;
  const shadow = withShadow
    ? `, json_extract(extra, '$.shadow.model.name'), json_extract(extra, '$.shadow.model.version'),
       json_extract(extra, '$.shadow.probability'), json_extract(extra, '$.shadow.decision'),
       json_extract(extra, '$.shadow.latency_ms'), json_extract(extra, '$.shadow.error')`
    : '';
  const { sql, params } = where(filter, '+ts');
  const sink = sinkOf(db);
  // The arm and the shadow live in `extra`, NULL for most records: json_extract is only called where it is set.
  const statement = db
    .prepare(
      `SELECT count(${ROW_FUNCTION}(id, probability,
         CASE decision WHEN 'refuse' THEN 1 WHEN 'approve' THEN 0 ELSE ${NO_DECISION} END,
         served_by, latency_inference_ms, CASE WHEN extra IS NULL THEN NULL ELSE json_extract(extra, '$.arm') END,
         ${outcome}, input_extra, ${FIELDS.map((name) => `"${name}"`).join(', ')} ${shadow}))
       FROM (SELECT * FROM predictions p WHERE id > ? AND ${sql} ORDER BY id LIMIT ?) p`,
    )
    .pluck();
  let last = 0;
  for (;;) {
    sink.begin(options.batchSize, withShadow);
    sink.last = last;
    statement.get(last, ...params, options.batchSize);
    const batch = sink.take();
    if (batch.count === 0) return;
    last = sink.last;
    yield batch;
  }
}
