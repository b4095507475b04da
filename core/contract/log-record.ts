/**
 * The production log record (CONTRACT.md section 3): one JSON object per line, written by the API, read by ingest.
 * Readers ignore unknown fields and keep them; a line that cannot be read is refused with a reason, never dropped.
 */

import { isPlainObject } from './plain-object.ts';

export const LOG_FORMAT_VERSION = 1;

export const LOG_STATUSES = ['ok', 'invalid', 'rejected', 'error'] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

export type ServedBy = 'champion' | 'fallback' | 'rules' | 'cache' | 'challenger' | (string & {});

export interface LogRecord {
  format_version: number;
  /** ISO 8601 time the request was received, UTC. */
  ts: string;
  request_id: string;
  replica: string;
  route: string;
  http_status: number;
  status: LogStatus;
  model: { name: string; version: string; alias: string } | null;
  served_by: ServedBy | null;
  degraded: boolean;
  cache_hit: boolean;
  applicant_ref: string | null;
  input: Record<string, unknown> | null;
  output: { probability: number; decision: string; threshold: number } | null;
  latency_ms: { total: number; queue?: number; inference?: number } | null;
  error: { code: string; message?: string; issues?: Array<{ path: string; code: string; message: string }> } | null;
  client: string | null;
  /** Any field this version does not know, kept as it was. */
  [extra: string]: unknown;
}

export const LOG_LINE_REASONS = [
  'empty_line',
  'line_too_long',
  'truncated_line',
  'bad_json',
  'not_object',
  'unsupported_format_version',
  'missing_request_id',
  'invalid_request_id',
  'invalid_ts',
  'invalid_field',
] as const;
export type LogLineReason = (typeof LOG_LINE_REASONS)[number];

export type LogLineResult = { ok: true; record: LogRecord } | { ok: false; reason: LogLineReason; detail: string };

/** Longest line accepted (bytes of UTF-16 code units, near enough): far above any real record. */
export const MAX_LOG_LINE_LENGTH = 1_048_576;

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const ISO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function bad(reason: LogLineReason, detail: string): LogLineResult {
  return { ok: false, reason, detail };
}

function optionalObject(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  return value === undefined || value === null || isPlainObject(value) ? null : `${key} must be an object or null`;
}

/** Checks the typed fields a record must have to be stored; returns what is wrong, or null. */
function checkFields(record: Record<string, unknown>): string | null {
  if (!(LOG_STATUSES as readonly string[]).includes(record.status as string)) {
    return `status must be one of ${LOG_STATUSES.join(', ')}`;
  }
  const httpStatus = record.http_status;
  if (!Number.isInteger(httpStatus) || (httpStatus as number) < 100 || (httpStatus as number) > 599) {
    return 'http_status must be an integer from 100 to 599';
  }
  for (const key of ['replica', 'route'] as const) {
    if (typeof record[key] !== 'string') return `${key} must be a string`;
  }
  for (const key of ['model', 'input', 'output', 'latency_ms', 'error']) {
    const problem = optionalObject(record, key);
    if (problem) return problem;
  }
  const output = record.output as Record<string, unknown> | null | undefined;
  if (output && (typeof output.probability !== 'number' || output.probability < 0 || output.probability > 1)) {
    return 'output.probability must be a number from 0 to 1';
  }
  const latency = record.latency_ms as Record<string, unknown> | null | undefined;
  if (latency) {
    for (const [key, value] of Object.entries(latency)) {
      if (value !== null && (typeof value !== 'number' || value < 0)) return `latency_ms.${key} must be a number >= 0`;
    }
  }
  return null;
}

/**
 * Parses one log line (without its trailing newline; a trailing "\r" is tolerated).
 * Missing optional fields are filled with their neutral value so readers see one shape.
 */
export function parseLogLine(line: string): LogLineResult {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (text.trim() === '') return bad('empty_line', 'the line is blank');
  if (text.length > MAX_LOG_LINE_LENGTH)
    return bad('line_too_long', `the line is longer than ${MAX_LOG_LINE_LENGTH} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const trimmed = text.trimEnd();
    if (trimmed.startsWith('{') && !trimmed.endsWith('}')) {
      return bad('truncated_line', `the line ends before its JSON object does: ${message}`);
    }
    return bad('bad_json', message);
  }
  if (!isPlainObject(parsed))
    return bad('not_object', `expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  const version = parsed.format_version ?? LOG_FORMAT_VERSION;
  if (version !== LOG_FORMAT_VERSION) {
    return bad(
      'unsupported_format_version',
      `format_version ${JSON.stringify(version)} is not supported (this reader knows ${LOG_FORMAT_VERSION})`,
    );
  }
  if (parsed.request_id === undefined || parsed.request_id === null || parsed.request_id === '') {
    return bad('missing_request_id', 'request_id is missing');
  }
  if (typeof parsed.request_id !== 'string' || !REQUEST_ID.test(parsed.request_id)) {
    return bad('invalid_request_id', 'request_id must be 1-128 characters of letters, digits, ".", "_", ":" or "-"');
  }
  if (typeof parsed.ts !== 'string' || !ISO_TS.test(parsed.ts) || Number.isNaN(Date.parse(parsed.ts))) {
    return bad('invalid_ts', 'ts must be an ISO 8601 date-time with a time zone, such as 2026-11-21T10:15:02.123Z');
  }
  const problem = checkFields(parsed);
  if (problem) return bad('invalid_field', problem);
  const record = {
    ...parsed,
    format_version: LOG_FORMAT_VERSION,
    model: parsed.model ?? null,
    served_by: parsed.served_by ?? null,
    degraded: parsed.degraded === true,
    cache_hit: parsed.cache_hit === true,
    applicant_ref: typeof parsed.applicant_ref === 'string' ? parsed.applicant_ref : null,
    input: parsed.input ?? null,
    output: parsed.output ?? null,
    latency_ms: parsed.latency_ms ?? null,
    error: parsed.error ?? null,
    client: typeof parsed.client === 'string' ? parsed.client : null,
  } as LogRecord;
  return { ok: true, record };
}

/** Serialises a record as one log line, newline included. */
export function formatLogLine(record: LogRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** The log file name for a replica and UTC day: `predictions-<replica>-<YYYY-MM-DD>.jsonl` (CONTRACT.md section 3). */
export function logFileName(replica: string, day: string, part = 0): string {
  return `predictions-${replica}-${day}${part > 0 ? `.${part}` : ''}.jsonl`;
}

export const LOG_FILE_PATTERN = /^predictions-([A-Za-z0-9_-]+)-(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.jsonl(\.gz)?$/;
