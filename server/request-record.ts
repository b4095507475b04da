/**
 * Builds the production log records (CONTRACT.md section 3) of one scoring request from what the request went
 * through. SK_ID_CURR never reaches the log: it is replaced by `applicant_ref`, a keyed hash of it.
 */
import { createHmac, createSecretKey } from 'node:crypto';
import { LOG_FORMAT_VERSION, type InputSchema, type LogRecord, type LogStatus } from '../core/contract/index.ts';
import type { ScoreResult } from '../core/engine/index.ts';
import type { Arm, ShadowAnswer } from './challengers.ts';
import type { ApiIssue, ErrorCode } from './errors.ts';

export interface RecordedError {
  code: ErrorCode;
  message: string;
  issues?: ApiIssue[];
}

/** One applicant of a request: the single one of /v1/score, or one item of a batch. */
export interface ItemOutcome {
  requestId: string;
  applicantRef: string | null;
  input: Record<string, unknown> | null;
  result: ScoreResult | null;
  error: RecordedError | null;
  /** The status the item would have had alone (batch items); the response status otherwise. */
  httpStatus?: number;
  batch?: { id: string; index: number; size: number };
  /** The canary arm that answered, when a canary runs. */
  arm?: Arm;
  /** The shadow model's answer, when it scored this applicant. */
  shadow?: ShadowAnswer;
}

/** Who served an answer as the log and the response say it: the challenger arm's own model is `challenger`. */
export function servedByOf(result: ScoreResult, arm: Arm | undefined): string {
  return arm === 'challenger' && result.served_by === 'champion' ? 'challenger' : result.served_by;
}

const REJECTED: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'OVERLOADED',
  'SHUTTING_DOWN',
]);

export function statusOf(httpStatus: number, code: string | null): LogStatus {
  if (httpStatus < 400) return 'ok';
  if (code !== null && REJECTED.has(code)) return 'rejected';
  return httpStatus >= 500 ? 'error' : 'invalid';
}

export function createPseudonymiser(hashKey: string): (id: unknown) => string | null {
  // The same HMAC-SHA256 of the same key bytes; the key object is made once instead of once per request.
  const key = createSecretKey(Buffer.from(hashKey, 'utf8'));
  return (id) => {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return null;
    return createHmac('sha256', key).update(String(id)).digest('hex').slice(0, 32);
  };
}

/**
 * What of a body may be logged: the schema's fields with a number, string or null value (valid or not, so drift
 * analysis sees out-of-range values too), never SK_ID_CURR, never unknown keys or nested values.
 */
export function loggableInput(body: unknown, schema: InputSchema | null): Record<string, unknown> | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || schema === null) return null;
  const source = body as Record<string, unknown>;
  const input: Record<string, unknown> = {};
  for (const field of schema.fields) {
    if (field.name === 'SK_ID_CURR' || !Object.prototype.hasOwnProperty.call(source, field.name)) continue;
    const value = source[field.name];
    if (value === null || typeof value === 'number' || (typeof value === 'string' && value.length <= 200)) {
      input[field.name] = value;
    }
  }
  return input;
}

export interface RequestFacts {
  receivedAt: number;
  replica: string;
  route: string;
  httpStatus: number;
  totalMs: number;
  client: string | null;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function buildRecord(facts: RequestFacts, item: ItemOutcome): LogRecord {
  const result = item.result;
  const httpStatus = item.httpStatus ?? facts.httpStatus;
  const record: LogRecord = {
    format_version: LOG_FORMAT_VERSION,
    ts: new Date(facts.receivedAt).toISOString(),
    request_id: item.requestId,
    replica: facts.replica,
    route: facts.route,
    http_status: httpStatus,
    status: statusOf(httpStatus, item.error?.code ?? null),
    model: result
      ? { name: result.model.name, version: result.model.version, alias: result.model.alias ?? result.served_by }
      : null,
    served_by: result ? servedByOf(result, item.arm) : null,
    degraded: result?.degraded ?? false,
    cache_hit: result?.cache_hit ?? false,
    applicant_ref: item.applicantRef,
    input: item.input,
    output: result ? { probability: result.probability, decision: result.decision, threshold: result.threshold } : null,
    latency_ms: result
      ? {
          total: round(facts.totalMs),
          queue: round(result.latency.queue_ms),
          inference: round(result.latency.inference_ms),
        }
      : { total: round(facts.totalMs) },
    error: item.error,
    client: facts.client,
  };
  if (result?.reason) record.degraded_reason = result.reason;
  if (item.batch) record.batch = item.batch;
  if (item.arm) record.arm = item.arm;
  if (item.shadow) record.shadow = item.shadow;
  return record;
}
