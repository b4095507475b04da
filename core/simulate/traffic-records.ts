/**
 * The pieces of a simulated log record, shaped as the API writes them (server/request-record.ts): the model
 * identities, client key ids, pseudonymised applicant references, request ids, latencies and error bodies.
 */
import { createHash, createHmac } from 'node:crypto';
import {
  LOG_FORMAT_VERSION,
  type InputSchema,
  type LogRecord,
  type LogStatus,
  type ValidationIssue,
} from '../contract/index.ts';
import { type Random, weightedTable } from './prng.ts';

export interface SimulatedModel {
  name: string;
  version: string;
  alias: string;
  threshold: number;
}

export const SIMULATED_MODELS: Readonly<Record<'champion' | 'fallback', SimulatedModel>> = {
  champion: { name: 'credit-default', version: '1', alias: 'champion', threshold: 0.11 },
  // The registry's fallback (models/registry.json): a simulated answer names a version that exists.
  fallback: { name: 'credit-default', version: '2', alias: 'fallback', threshold: 0.12 },
};

/** The fixed key of the simulator's applicant pseudonymisation (HMAC-SHA256 of SK_ID_CURR, as the API does). */
export const SIMULATOR_HASH_KEY = 'vigie-simulator-applicant-ref-key';

/** A key id as the API logs it: the first 8 hex characters of sha256(key). */
const keyId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/** The regular clients: a web portal, branch agents and a broker, by share of requests. */
export const CLIENTS = weightedTable([
  [keyId('simulated-web-portal-key'), 60],
  [keyId('simulated-branch-agents-key'), 30],
  [keyId('simulated-broker-key'), 10],
] as const);

export const ROUTE = '/v1/score';

const MESSAGES = {
  VALIDATION_FAILED: (count: number) => `the applicant is not valid: ${count} issue(s), see issues`,
  UNAUTHENTICATED: 'send a valid API key as "Authorization: Bearer <key>"',
  RATE_LIMITED: 'rate limit of 600 requests per 60000 ms exceeded; retry after 4 s',
  INTERNAL_ERROR: 'internal error; quote the request id when reporting it',
  OVERLOADED: 'the scoring queue is full; retry after 1 s',
};

export function applicantRef(id: unknown): string | null {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return null;
  return createHmac('sha256', SIMULATOR_HASH_KEY).update(String(id)).digest('hex').slice(0, 32);
}

const hex = (value: number, digits: number) =>
  (value >>> 0)
    .toString(16)
    .padStart(8, '0')
    .slice(8 - digits);

/**
 * A request id as the API makes one, a UUIDv7 (RFC 9562): the request's time in its first 48 bits, so ids follow the
 * log's order as the API's do (docs/decisions/1618-time-ordered-request-ids.md); unique within a run (its last 12
 * hex digits are the request's index), and deterministic, so importing the same simulation twice deduplicates. The
 * seed's prefix and three draws fill the random bits, so two seeds meet only in the same millisecond, at the same
 * index, with the same 26 bits (the three draws are those of the earlier, random-looking ids: every later value of a
 * simulation stays what it was).
 */
export function requestId(seedPrefix: string, random: Random, index: number, timeMs: number): string {
  const high = Math.floor(index / 4_294_967_296);
  const tail = hex(high, 4) + hex(index, 8);
  const seed = Number.parseInt(seedPrefix, 16);
  const randA = (random.uint32() ^ seed) & 0xfff;
  const randB = (random.uint32() ^ (seed >>> 12)) & 0x3fff;
  random.uint32();
  const time = hex(Math.floor(timeMs / 65_536), 8) + hex(timeMs % 65_536, 4);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(randA, 3)}-${hex(0x8000 | randB, 4)}-${tail}`;
}

export function seedPrefix(seed: number): string {
  return createHash('sha256').update(`vigie-simulator-seed:${seed}`).digest('hex').slice(0, 8);
}

const ms = (value: number) => Math.round(value * 1000) / 1000;

/** Latency of an answered request: queue + inference + request handling, log-normal around 2–3 ms in total. */
export function answeredLatency(random: Random, factor: number, cacheHit: boolean): LogRecord['latency_ms'] {
  if (cacheHit) return { total: ms(random.logNormal(0.25, 0.3) * factor), queue: 0, inference: 0 };
  const queue = random.logNormal(0.3, 0.6) * factor;
  const inference = random.logNormal(0.9, 0.3) * factor;
  const handling = random.logNormal(1.1, 0.3) * factor;
  return { total: ms(queue + inference + handling), queue: ms(queue), inference: ms(inference) };
}

/** Latency of a request answered with an error before or without inference. */
export function errorLatency(random: Random, factor: number): LogRecord['latency_ms'] {
  return { total: ms(random.logNormal(0.35, 0.4) * factor) };
}

/** What of a body the API logs: the schema's fields other than SK_ID_CURR, with a number, string or null value. */
export function loggableInput(body: Record<string, unknown>, schema: InputSchema): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of schema.fields) {
    if (field.name === 'SK_ID_CURR' || !Object.prototype.hasOwnProperty.call(body, field.name)) continue;
    const value = body[field.name];
    if (value === null || typeof value === 'number' || typeof value === 'string') input[field.name] = value;
  }
  return input;
}

export interface RecordFrame {
  ts: string;
  requestId: string;
  replica: string;
  client: string | null;
}

function baseRecord(frame: RecordFrame, httpStatus: number, status: LogStatus): LogRecord {
  return {
    format_version: LOG_FORMAT_VERSION,
    ts: frame.ts,
    request_id: frame.requestId,
    replica: frame.replica,
    route: ROUTE,
    http_status: httpStatus,
    status,
    model: null,
    served_by: null,
    degraded: false,
    cache_hit: false,
    applicant_ref: null,
    input: null,
    output: null,
    latency_ms: null,
    error: null,
    client: frame.client,
  };
}

export interface Answer {
  served: 'champion' | 'fallback';
  probability: number;
  cacheHit: boolean;
  reason?: string;
}

export function answeredRecord(
  frame: RecordFrame,
  ref: string | null,
  input: Record<string, unknown>,
  answer: Answer,
  latency: LogRecord['latency_ms'],
): LogRecord {
  const model = SIMULATED_MODELS[answer.served];
  const record = baseRecord(frame, 200, 'ok');
  record.model = { name: model.name, version: model.version, alias: model.alias };
  record.served_by = answer.served;
  record.degraded = answer.served !== 'champion';
  record.cache_hit = answer.cacheHit;
  record.applicant_ref = ref;
  record.input = input;
  record.output = {
    probability: answer.probability,
    decision: answer.probability >= model.threshold ? 'refuse' : 'approve',
    threshold: model.threshold,
  };
  record.latency_ms = latency;
  if (answer.reason) record.degraded_reason = answer.reason;
  return record;
}

export function invalidRecord(
  frame: RecordFrame,
  ref: string | null,
  input: Record<string, unknown>,
  issues: ValidationIssue[],
  latency: LogRecord['latency_ms'],
): LogRecord {
  const record = baseRecord(frame, 400, 'invalid');
  record.applicant_ref = ref;
  record.input = input;
  record.latency_ms = latency;
  record.error = { code: 'VALIDATION_FAILED', message: MESSAGES.VALIDATION_FAILED(issues.length), issues };
  return record;
}

export type FailureCode = 'UNAUTHENTICATED' | 'RATE_LIMITED' | 'INTERNAL_ERROR' | 'OVERLOADED';
const FAILURE_STATUS: Record<FailureCode, [number, LogStatus]> = {
  UNAUTHENTICATED: [401, 'rejected'],
  RATE_LIMITED: [429, 'rejected'],
  INTERNAL_ERROR: [500, 'error'],
  OVERLOADED: [503, 'rejected'],
};

/** A request refused before scoring (auth, rate limit: no input read) or failing in it (input kept). */
export function failedRecord(
  frame: RecordFrame,
  code: FailureCode,
  ref: string | null,
  input: Record<string, unknown> | null,
  latency: LogRecord['latency_ms'],
): LogRecord {
  const [httpStatus, status] = FAILURE_STATUS[code];
  const record = baseRecord(frame, httpStatus, status);
  record.applicant_ref = ref;
  record.input = input;
  record.latency_ms = latency;
  record.error = { code, message: MESSAGES[code] };
  return record;
}
