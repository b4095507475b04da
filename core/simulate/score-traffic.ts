/**
 * Re-scores simulated traffic with a real model: the answered records (status `ok`, with an output) get the
 * probability, decision, threshold and model identity a scoring engine gives for their input; everything else
 * (request ids, timestamps, latencies, statuses, the scenario's effects on inputs) stays as the stand-in run wrote it.
 * The engine is passed in, described by the little this needs, so the simulator does not depend on core/engine.
 */
import type { Applicant, InputSchema, LogRecord } from '../contract/index.ts';
import { TRAFFIC_FIRST_ID } from './traffic.ts';

export interface TrafficModelRef {
  name: string;
  version: string;
  alias: string | null;
}

/** What one answer of the engine must carry (a `ScoreResult` of core/engine fits). */
export interface TrafficAnswer {
  probability: number;
  decision: 'approve' | 'refuse';
  threshold: number;
  model: TrafficModelRef;
  served_by: 'champion' | 'fallback' | 'rules';
  degraded: boolean;
  reason?: string;
}

/** The part of a `ScoringEngine` (core/engine) the re-scoring uses. */
export interface TrafficEngine {
  readonly schema: InputSchema;
  scoreMany(applicants: readonly Applicant[]): Promise<TrafficAnswer[]>;
  describe(): { models: Array<TrafficModelRef & { role: string }> };
}

export interface ScoreTrafficOptions {
  /**
   * Answered records scored per `scoreMany` call. Up to 256 (the engine's smallest chunk), a batch runs whole on one
   * worker, so the probabilities do not depend on the engine's worker count (batched float kernels can differ in the
   * last bits with the rows run together). @default 256
   */
  batchSize?: number;
  /**
   * Scores the answers the simulation gave from the fallback (the `incident` scenario's degraded answers): they keep
   * `served_by: "fallback"`, `degraded` and `degraded_reason`, with this model's answer. Without it they become
   * `engine`'s answers.
   */
  fallback?: TrafficEngine;
}

/** Batches scored at once: enough to keep a few inference workers busy, few enough to bound memory. */
const IN_FLIGHT_BATCHES = 4;

/**
 * Logged inputs have no SK_ID_CURR (the API drops it), but the schema requires one; the models never read it, so any
 * valid id gives the same probability.
 */
const PLACEHOLDER_ID = TRAFFIC_FIRST_ID;

function applicantOf(engine: TrafficEngine, record: LogRecord): Applicant {
  const checked = engine.schema.validate({ ...record.input, SK_ID_CURR: PLACEHOLDER_ID });
  if (checked.ok) return checked.value;
  const issue = checked.issues[0]!;
  throw new Error(
    `record ${record.request_id} does not fit the model's input schema: ${issue.path} ${issue.message} ` +
      '(simulate with the model package input_schema.json as --schema)',
  );
}

/** A simulated fallback answer re-scored by the fallback model: still a degraded answer, for the same reason. */
function asFallback(record: LogRecord, answer: TrafficAnswer): LogRecord {
  return {
    ...rescored(record, { ...answer, model: { ...answer.model, alias: answer.model.alias ?? 'fallback' } }),
    served_by: 'fallback',
    degraded: true,
    ...(record.degraded_reason !== undefined && { degraded_reason: record.degraded_reason }),
  };
}

function rescored(record: LogRecord, answer: TrafficAnswer): LogRecord {
  const { degraded_reason: _, ...rest } = record;
  const next: LogRecord = {
    ...rest,
    model: { name: answer.model.name, version: answer.model.version, alias: answer.model.alias ?? answer.served_by },
    served_by: answer.served_by,
    degraded: answer.degraded,
    output: { probability: answer.probability, decision: answer.decision, threshold: answer.threshold },
  };
  if (answer.reason) next.degraded_reason = answer.reason;
  return next;
}

const answered = (record: LogRecord) => record.status === 'ok' && record.output !== null && record.input !== null;

/**
 * Yields the records in the same order, the answered ones re-scored by `engine` in batches. Simulated fallback
 * answers become whatever the engine answers (the champion, for an engine without a fallback). Throws when an
 * answered record's input does not pass the engine's schema.
 */
export async function* scoreTraffic(
  records: Iterable<LogRecord> | AsyncIterable<LogRecord>,
  engine: TrafficEngine,
  options: ScoreTrafficOptions = {},
): AsyncGenerator<LogRecord> {
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const { fallback } = options;
  const byFallback = (record: LogRecord) => fallback !== undefined && record.served_by === 'fallback';
  const inFlight: Array<{ held: LogRecord[]; answers: Promise<[TrafficAnswer[], TrafficAnswer[]]> }> = [];
  let held: LogRecord[] = [];
  let applicants: Applicant[] = [];
  let fallbackApplicants: Applicant[] = [];

  const scored = (scorer: TrafficEngine | undefined, rows: Applicant[]) =>
    scorer && rows.length > 0 ? scorer.scoreMany(rows) : Promise.resolve([]);
  const launch = () => {
    const answers = Promise.all([scored(engine, applicants), scored(fallback, fallbackApplicants)]);
    // Awaited in turn below; this only keeps a later batch's failure from being reported as unhandled meanwhile.
    answers.catch(() => undefined);
    inFlight.push({ held, answers });
    held = [];
    applicants = [];
    fallbackApplicants = [];
  };

  async function* emit(): AsyncGenerator<LogRecord> {
    const batch = inFlight.shift()!;
    const [answers, fallbackAnswers] = await batch.answers;
    let next = 0;
    let nextFallback = 0;
    for (const record of batch.held) {
      if (!answered(record)) yield record;
      else if (byFallback(record)) yield asFallback(record, fallbackAnswers[nextFallback++]!);
      else yield rescored(record, answers[next++]!);
    }
  }

  for await (const record of records) {
    held.push(record);
    if (answered(record)) {
      if (byFallback(record)) fallbackApplicants.push(applicantOf(fallback!, record));
      else applicants.push(applicantOf(engine, record));
      if (applicants.length + fallbackApplicants.length >= batchSize) {
        launch();
        if (inFlight.length >= IN_FLIGHT_BATCHES) yield* emit();
      }
    }
  }
  launch();
  while (inFlight.length > 0) yield* emit();
}

/** What `writeTrafficFiles` needs to write re-scored traffic: the re-scoring and the model to name in the manifest. */
export interface TrafficScoring {
  model: TrafficModelRef;
  /** The model scoring the simulated fallback answers, when one does. */
  fallback?: TrafficModelRef;
  rescore(records: Iterable<LogRecord>): AsyncIterable<LogRecord>;
}

/** The manifest's `probabilities` line for traffic scored by `model`. */
export function scoredNote(model: TrafficModelRef, fallback?: TrafficModelRef): string {
  const named = (ref: TrafficModelRef) =>
    `${ref.name} version ${ref.version}${ref.alias ? ` (alias ${ref.alias})` : ''}`;
  return `scored by ${named(model)}${fallback ? `; fallback answers by ${named(fallback)}` : ''}`;
}

/** Scoring by an engine's champion, for `writeTrafficFiles({ …, score: engineScoring(engine) })`. */
export function engineScoring(engine: TrafficEngine, options: ScoreTrafficOptions = {}): TrafficScoring {
  const fallback = options.fallback && championOf(options.fallback);
  return {
    model: championOf(engine),
    ...(fallback && { fallback }),
    rescore: (records) => scoreTraffic(records, engine, options),
  };
}

function championOf(engine: TrafficEngine): TrafficModelRef {
  const champion = engine.describe().models.find((model) => model.role === 'champion');
  if (!champion) throw new RangeError('the engine describes no champion model');
  return { name: champion.name, version: champion.version, alias: champion.alias };
}
