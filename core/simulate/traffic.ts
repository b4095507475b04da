/**
 * Simulated production traffic: the log records the scoring API would write over a period, in time order, with a
 * daily and weekly rhythm and a scenario's injections. Synchronous and streaming: memory holds one hour of
 * timestamps, whatever the number of rows.
 */
import type { InputSchema, LogRecord } from '../contract/index.ts';
import { drawCompleteApplicant, maskMissing, MODEL_FIELDS } from './applicant-model.ts';
import { Random } from './prng.ts';
import { resolveScenario, SCENARIO_NAMES, type ResolvedScenario, type ScenarioName } from './scenarios.ts';
import { assertSchemaSupported } from './schema-support.ts';
import { fallbackStandInProbability, standInProbability } from './stand-in-score.ts';
import { effectsAt, injectionWindows, RATES } from './traffic-effects.ts';
import { hourlyCounts } from './traffic-rhythm.ts';
import {
  answeredLatency,
  answeredRecord,
  applicantRef,
  CLIENTS,
  errorLatency,
  failedRecord,
  invalidRecord,
  loggableInput,
  requestId,
  seedPrefix,
  type RecordFrame,
} from './traffic-records.ts';
import { corruptBody } from './invalid-bodies.ts';
import { drawOutcome, outcomeRecord, type SimulatedOutcome } from './outcomes.ts';

export const DEFAULT_TRAFFIC_START = '2026-11-01';
/** SK_ID_CURR of simulated production applicants start here, far from the training applicants' ids. */
export const TRAFFIC_FIRST_ID = 1_000_000;

export interface TrafficOptions {
  /** Days in the period, each a full UTC day. */
  days: number;
  /** Requests over the whole period, all replicas together. */
  rows: number;
  seed: number;
  /** @default 'stable' */
  scenario?: ScenarioName;
  /** First UTC day, YYYY-MM-DD. @default '2026-11-01' */
  start?: string;
  /** Replicas `api-0`, `api-1`…; each request goes to one at random. @default 2 */
  replicas?: number;
  /** The applicant schema the simulated API validates with. */
  schema: InputSchema;
}

const RESEND_SHARE = 0.02;
const RESEND_MEMORY = 64;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Parses a YYYY-MM-DD day into its UTC midnight; throws RangeError for anything else. */
export function parseStartDay(text: string): number {
  const value = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(value) || new Date(value).toISOString().slice(0, 10) !== text) {
    throw new RangeError(`start must be a day such as 2026-11-01, got "${text}"`);
  }
  return value;
}

export interface TrafficPlan {
  startMs: number;
  endMs: number;
  days: number;
  rows: number;
  seed: number;
  replicas: number;
  scenario: ResolvedScenario;
}

/** Checks the options and places the scenario on the calendar; throws RangeError naming a bad option. */
export function planTraffic(options: TrafficOptions): TrafficPlan {
  const { days, rows, seed } = options;
  const replicas = options.replicas ?? 2;
  const scenario = options.scenario ?? 'stable';
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer, got ${days}`);
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`rows must be a positive integer, got ${rows}`);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 100) {
    throw new RangeError(`replicas must be an integer from 1 to 100, got ${replicas}`);
  }
  if (!SCENARIO_NAMES.includes(scenario)) {
    throw new RangeError(`scenario must be one of ${SCENARIO_NAMES.join(', ')}, got "${String(scenario)}"`);
  }
  const startMs = parseStartDay(options.start ?? DEFAULT_TRAFFIC_START);
  assertSchemaSupported(options.schema);
  return {
    startMs,
    endMs: startMs + days * DAY_MS,
    days,
    rows,
    seed,
    replicas,
    scenario: resolveScenario(scenario, days, startMs),
  };
}

/**
 * The logged input of a drawn (unaltered) applicant: every field but SK_ID_CURR. When the schema has every field the
 * model draws, a rest copy of the model's object is the same as loggableInput, several times faster.
 */
function inputLogger(schema: InputSchema): (values: Record<string, unknown>) => Record<string, unknown> {
  if (schema.fields.length === MODEL_FIELDS.length) {
    return (values) => {
      const { SK_ID_CURR: _, ...input } = values;
      return input;
    };
  }
  return (values) => loggableInput(values, schema);
}

interface Resent {
  ref: string | null;
  input: Record<string, unknown>;
  probability: number;
}

/**
 * Yields the period's log records in time order; the same options always yield the same records. `onOutcome`
 * receives the outcome of each answered request whose outcome will arrive (see outcomes.ts).
 */
export function* generateTraffic(
  options: TrafficOptions,
  onOutcome?: (outcome: SimulatedOutcome) => void,
): Generator<LogRecord> {
  const plan = planTraffic(options);
  yield* generateTrafficDays(plan, options.schema, 0, plan.days, onOutcome);
}

const OUTCOME_STREAMS = 1_000_000_000;

/** Random streams per day: a day's records depend only on the seed and the day, never on the days before it. */
function dayRandoms(seed: number, day: number) {
  return {
    timing: new Random(seed, 16 + 3 * day),
    requests: new Random(seed, 17 + 3 * day),
    applicants: new Random(seed, 18 + 3 * day),
    // Outcomes draw from streams of their own, so the log records are the same with or without them.
    outcomes: new Random(seed, OUTCOME_STREAMS + day),
  };
}

/**
 * Yields the records of days [fromDay, toDay) of a plan. Each day draws from its own random streams and knows its
 * first request index, so a range of days comes out exactly as it does within the whole period (days can be
 * generated in parallel). `onOutcome` receives the outcome of each answered request whose outcome will arrive.
 */
export function* generateTrafficDays(
  plan: TrafficPlan,
  schema: InputSchema,
  fromDay: number,
  toDay: number,
  onOutcome?: (outcome: SimulatedOutcome) => void,
): Generator<LogRecord> {
  const prefix = seedPrefix(plan.seed);
  const replicaNames = Array.from({ length: plan.replicas }, (_, i) => `api-${i}`);
  const counts = hourlyCounts(plan.rows, plan.days, plan.startMs, new Random(plan.seed, 1));
  const windows = injectionWindows(plan);
  const logInput = inputLogger(schema);
  let index = 0;
  for (let hour = 0; hour < fromDay * 24; hour += 1) index += counts[hour]!;
  let { timing, requests, applicants, outcomes } = dayRandoms(plan.seed, fromDay);
  let recent: Resent[] = [];

  for (let hour = fromDay * 24; hour < toDay * 24; hour += 1) {
    if (hour % 24 === 0 && hour > fromDay * 24) {
      ({ timing, requests, applicants, outcomes } = dayRandoms(plan.seed, hour / 24));
      recent = [];
    }
    const hourStart = plan.startMs + hour * HOUR_MS;
    const effects = effectsAt(windows, hourStart);
    const offsets = new Float64Array(counts[hour]!);
    for (let i = 0; i < offsets.length; i += 1) offsets[i] = Math.floor(timing.float() * HOUR_MS);
    offsets.sort();
    for (const offset of offsets) {
      const time = hourStart + offset;
      const current = effects.shift.incomeFactor || effects.shift.ext2Shift ? effectsAt(windows, time) : effects;
      const frame: RecordFrame = {
        ts: new Date(time).toISOString(),
        requestId: requestId(prefix, requests, index, time),
        replica: replicaNames[requests.integer(0, plan.replicas - 1)]!,
        client: requests.pick(CLIENTS),
      };
      const id = TRAFFIC_FIRST_ID + index;
      index += 1;
      const gate = requests.float();
      if (gate < RATES.unauthenticated) {
        frame.client = null;
        yield failedRecord(frame, 'UNAUTHENTICATED', null, null, errorLatency(requests, 1));
        continue;
      }
      if (gate < RATES.unauthenticated + RATES.rateLimited) {
        yield failedRecord(frame, 'RATE_LIMITED', null, null, errorLatency(requests, 1));
        continue;
      }
      if (recent.length > 0 && requests.chance(RESEND_SHARE)) {
        const again = recent[requests.integer(0, recent.length - 1)]!;
        const answer = { served: 'champion' as const, probability: again.probability, cacheHit: true };
        const latency = answeredLatency(requests, current.latencyFactor, true);
        // A copy: consumers may annotate records, and two records must never share an object.
        yield answeredRecord(frame, again.ref, { ...again.input }, answer, latency);
        continue;
      }
      const partner = current.partnerShare > 0 && requests.chance(current.partnerShare);
      if (partner) frame.client = current.partnerClient;
      const shift = partner ? { ...current.shift, youngShare: 1 } : current.shift;
      const applicant = drawCompleteApplicant(applicants, id, shift);
      const pending = onOutcome ? drawOutcome(outcomes, applicant, current.concept) : null;
      const { values } = applicant;
      maskMissing(applicants, values);
      for (const [name, share] of current.nulls) if (requests.chance(share)) values[name] = null;
      let body: Record<string, unknown> = values;
      let suspect = false;
      const unknown = current.unknownCategory;
      if (unknown && requests.chance(unknown.share)) {
        body[unknown.field] = unknown.category;
        suspect = true;
      } else if (requests.chance(RATES.invalid)) {
        body = corruptBody(requests, values);
        suspect = true;
      }
      const ref = applicantRef(body.SK_ID_CURR);
      const input = body === values ? logInput(values) : loggableInput(body, schema);
      // Drawn applicants are valid by construction (tested); only altered bodies need the validator's verdict.
      const checked = suspect ? schema.validate(body) : null;
      if (checked && !checked.ok) {
        yield invalidRecord(frame, ref, input, checked.issues, errorLatency(requests, 1));
        continue;
      }
      const failure = requests.float();
      if (failure < current.errorShare) {
        const code =
          current.errorShare > RATES.internalError && failure < current.errorShare * 0.4
            ? 'OVERLOADED'
            : 'INTERNAL_ERROR';
        yield failedRecord(frame, code, ref, input, errorLatency(requests, current.latencyFactor));
        continue;
      }
      const fallback = requests.chance(current.fallbackShare);
      const probability = fallback ? fallbackStandInProbability(input) : standInProbability(input);
      const answer = fallback
        ? {
            served: 'fallback' as const,
            probability,
            cacheHit: false,
            reason: current.latencyFactor > 1 ? 'champion timeout' : 'champion error',
          }
        : { served: 'champion' as const, probability, cacheHit: false };
      if (pending?.arrives) onOutcome!(outcomeRecord(pending, frame.requestId, time));
      yield answeredRecord(frame, ref, input, answer, answeredLatency(requests, current.latencyFactor, false));
      if (recent.length < RESEND_MEMORY) recent.push({ ref, input, probability });
      else recent[index % RESEND_MEMORY] = { ref, input, probability };
    }
  }
}
