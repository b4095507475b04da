/**
 * The common case of reading a log line, in one pass over the parsed object: a record whose fields are all ones the
 * contract names (CONTRACT.md section 3), each of the type its column holds, becomes its FlatRow directly, without
 * the copy parseLogLine makes and the unknown-key searches flattenRecord makes. Anything else (an unknown field, a
 * value of another type, a bad value, a time in another form) answers null, and the caller takes parseLogLine and
 * flattenRecord, which keep every quarantine reason and message: for a record this accepts, the row is exactly
 * `flattenRecord(parseLogLine(line).record)` (tests/core/ingest/canonical-record.test.ts).
 */
import { APPLICANT_COLUMNS } from './applicant-columns.ts';
import { BASE_COLUMNS, FLAT_COLUMNS, KNOWN_TOP_LEVEL, type FlatRow } from './flat-record.ts';

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const CANONICAL_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const COLUMN_COUNT = FLAT_COLUMNS.length;
const APPLICANT_START = BASE_COLUMNS.length;
const APPLICANT_INDEX = new Map(APPLICANT_COLUMNS.map((c, i) => [c.name, i]));
const APPLICANT_IS_NUMBER = APPLICANT_COLUMNS.map((c) => c.kind === 'number');

type Json = Record<string, unknown>;

let lastDay = '';
let lastDayMs = NaN;
const digits = (text: string, at: number, n: number): number => {
  let value = 0;
  for (let i = at; i < at + n; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
};

/**
 * The epoch ms of a YYYY-MM-DDTHH:MM:SS.mmmZ time whose every field is in its everyday range (what Date.parse gives
 * for it), or null for anything else, which parseLogLine then judges. The day is cached: a log file is days long.
 */
export function canonicalTime(ts: string): number | null {
  const hour = digits(ts, 11, 2);
  const minute = digits(ts, 14, 2);
  const second = digits(ts, 17, 2);
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (ts.startsWith(lastDay) && lastDay !== '') {
    return lastDayMs + ((hour * 60 + minute) * 60 + second) * 1000 + digits(ts, 20, 3);
  }
  const year = digits(ts, 0, 4);
  const month = digits(ts, 5, 2);
  const day = digits(ts, 8, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1) return null;
  const dayMs = Date.UTC(year, month - 1, day);
  // Date.UTC rolls a 31 February over into March: such a day is not this day.
  if (new Date(dayMs).getUTCDate() !== day) return null;
  lastDay = ts.slice(0, 10);
  lastDayMs = dayMs;
  return dayMs + ((hour * 60 + minute) * 60 + second) * 1000 + digits(ts, 20, 3);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : value === undefined || value === null ? null : String(value);
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Whether every key of `object` is one of `names`. */
function onlyKeys(object: Json, a: string, b: string, c: string): boolean {
  for (const key in object) if (key !== a && key !== b && key !== c) return false;
  return true;
}

/** The FlatRow of a parsed line in the canonical shape, or null (then parseLogLine decides). */
export function canonicalRow(parsed: unknown): FlatRow | null {
  if (!isObject(parsed)) return null;
  for (const key in parsed) if (!KNOWN_TOP_LEVEL.has(key)) return null;
  const p = parsed;
  if (p.format_version !== undefined && p.format_version !== 1) return null;
  const requestId = p.request_id;
  if (typeof requestId !== 'string' || !REQUEST_ID_PATTERN.test(requestId)) return null;
  const ts = p.ts;
  if (typeof ts !== 'string' || !CANONICAL_TS.test(ts)) return null;
  const ms = canonicalTime(ts);
  if (ms === null) return null;
  const status = p.status;
  if (status !== 'ok' && status !== 'invalid' && status !== 'rejected' && status !== 'error') return null;
  const httpStatus = p.http_status;
  if (!Number.isInteger(httpStatus) || (httpStatus as number) < 100 || (httpStatus as number) > 599) return null;
  if (typeof p.replica !== 'string' || typeof p.route !== 'string') return null;

  const row: FlatRow = new Array(COLUMN_COUNT);
  row[0] = ms;
  row[1] = requestId;
  row[2] = p.replica;
  row[3] = p.route;
  row[4] = httpStatus;
  row[5] = status;

  const model = p.model;
  if (model === undefined || model === null) {
    row[6] = row[7] = row[8] = null;
  } else {
    if (!isObject(model) || !onlyKeys(model, 'name', 'version', 'alias')) return null;
    row[6] = stringOrNull(model.name);
    row[7] = stringOrNull(model.version);
    row[8] = stringOrNull(model.alias);
  }
  row[9] = stringOrNull(p.served_by);
  row[10] = p.degraded === true ? 1 : 0;
  row[11] = p.cache_hit === true ? 1 : 0;

  const output = p.output;
  if (output === undefined || output === null) {
    row[12] = row[13] = row[14] = null;
  } else {
    if (!isObject(output) || !onlyKeys(output, 'probability', 'decision', 'threshold')) return null;
    const probability = output.probability;
    if (typeof probability !== 'number' || probability < 0 || probability > 1) return null;
    row[12] = probability;
    row[13] = stringOrNull(output.decision);
    row[14] = numberOrNull(output.threshold);
  }

  const latency = p.latency_ms;
  if (latency === undefined || latency === null) {
    row[15] = row[16] = row[17] = null;
  } else {
    if (!isObject(latency) || !onlyKeys(latency, 'total', 'queue', 'inference')) return null;
    for (const key in latency) {
      const value = latency[key];
      if (value !== null && (typeof value !== 'number' || value < 0)) return null;
    }
    row[15] = numberOrNull(latency.total);
    row[16] = numberOrNull(latency.queue);
    row[17] = numberOrNull(latency.inference);
  }

  const error = p.error;
  if (error === undefined || error === null) {
    row[18] = row[19] = null;
  } else {
    if (!isObject(error)) return null;
    row[18] = stringOrNull(error.code);
    row[19] = JSON.stringify(error);
  }
  row[20] = typeof p.applicant_ref === 'string' ? p.applicant_ref : null;
  row[21] = typeof p.client === 'string' ? p.client : null;

  for (let i = APPLICANT_START; i < COLUMN_COUNT; i++) row[i] = null;
  const input = p.input;
  if (input !== undefined && input !== null) {
    if (!isObject(input)) return null;
    for (const key in input) {
      const index = APPLICANT_INDEX.get(key);
      if (index === undefined) return null;
      const value = input[key];
      if (value === null) continue;
      if (APPLICANT_IS_NUMBER[index] ? typeof value !== 'number' : typeof value !== 'string') return null;
      row[APPLICANT_START + index] = value;
    }
  }
  return row;
}
