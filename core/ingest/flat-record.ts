/**
 * A parsed log record flattened to typed values, one per column of the store's predictions table
 * (CONTRACT.md section 3): cheap to pass between threads and to bind to SQL. Values that do not fit their column
 * (a string in a number field of an `invalid` record, an unknown field) are kept as JSON in `input_extra` / `extra`
 * rather than dropped or coerced.
 */
import type { LogRecord } from '../contract/index.ts';
import { APPLICANT_COLUMNS } from './applicant-columns.ts';

/** One record as FLAT_COLUMNS values. */
export type FlatRow = unknown[];

export const BASE_COLUMNS = [
  'ts',
  'request_id',
  'replica',
  'route',
  'http_status',
  'status',
  'model_name',
  'model_version',
  'model_alias',
  'served_by',
  'degraded',
  'cache_hit',
  'probability',
  'decision',
  'threshold',
  'latency_total_ms',
  'latency_queue_ms',
  'latency_inference_ms',
  'error_code',
  'error_json',
  'applicant_ref',
  'client',
] as const;

export const FLAT_COLUMNS: readonly string[] = [
  ...BASE_COLUMNS,
  ...APPLICANT_COLUMNS.map((c) => c.name),
  'input_extra',
  'extra',
];

/** The record's top-level keys CONTRACT.md names; any other goes to `extra`. */
export const KNOWN_TOP_LEVEL: ReadonlySet<string> = new Set([
  'format_version',
  'ts',
  'request_id',
  'replica',
  'route',
  'http_status',
  'status',
  'model',
  'served_by',
  'degraded',
  'cache_hit',
  'applicant_ref',
  'input',
  'output',
  'latency_ms',
  'error',
  'client',
]);
/** The keys CONTRACT.md names inside `output`, `latency_ms` and `model`. */
export const KNOWN_OUTPUT: ReadonlySet<string> = new Set(['probability', 'decision', 'threshold']);
export const KNOWN_LATENCY: ReadonlySet<string> = new Set(['total', 'queue', 'inference']);
export const KNOWN_MODEL: ReadonlySet<string> = new Set(['name', 'version', 'alias']);

const APPLICANT_START = BASE_COLUMNS.length;
const COLUMN_COUNT = FLAT_COLUMNS.length;
const APPLICANT_NAMES = APPLICANT_COLUMNS.map((c) => c.name);
const APPLICANT_IS_NUMBER = APPLICANT_COLUMNS.map((c) => c.kind === 'number');
const APPLICANT_INDEX = new Map(APPLICANT_NAMES.map((name, i) => [name, i]));

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : value === undefined || value === null ? null : String(value);
}

/** Keys of `object` outside `known`, or null when there are none (the common case allocates nothing). */
function unknownKeys(object: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> | null {
  let extra: Record<string, unknown> | null = null;
  for (const key in object) {
    if (!known.has(key)) (extra ??= {})[key] = object[key];
  }
  return extra;
}

/** Flattens a record that parseLogLine accepted (so its `ts` parses). */
export function flattenRecord(record: LogRecord): FlatRow {
  const row: FlatRow = new Array(COLUMN_COUNT);
  const model = record.model;
  const output = record.output;
  const latency = record.latency_ms;
  const error = record.error;
  row[0] = Date.parse(record.ts);
  row[1] = record.request_id;
  row[2] = record.replica;
  row[3] = record.route;
  row[4] = record.http_status;
  row[5] = record.status;
  row[6] = model ? stringOrNull(model.name) : null;
  row[7] = model ? stringOrNull(model.version) : null;
  row[8] = model ? stringOrNull(model.alias) : null;
  row[9] = stringOrNull(record.served_by);
  row[10] = record.degraded ? 1 : 0;
  row[11] = record.cache_hit ? 1 : 0;
  row[12] = output ? numberOrNull(output.probability) : null;
  row[13] = output ? stringOrNull(output.decision) : null;
  row[14] = output ? numberOrNull(output.threshold) : null;
  row[15] = latency ? numberOrNull(latency.total) : null;
  row[16] = latency ? numberOrNull(latency.queue) : null;
  row[17] = latency ? numberOrNull(latency.inference) : null;
  row[18] = error ? stringOrNull(error.code) : null;
  row[19] = error ? JSON.stringify(error) : null;
  row[20] = record.applicant_ref;
  row[21] = record.client;

  for (let i = 0; i < APPLICANT_NAMES.length; i++) row[APPLICANT_START + i] = null;
  let inputExtra: Record<string, unknown> | null = null;
  const input = record.input;
  if (input) {
    for (const key in input) {
      const value = input[key];
      const index = APPLICANT_INDEX.get(key);
      if (index === undefined) {
        (inputExtra ??= {})[key] = value;
      } else if (value === null) {
        continue;
      } else if (APPLICANT_IS_NUMBER[index] ? typeof value === 'number' : typeof value === 'string') {
        row[APPLICANT_START + index] = value;
      } else {
        (inputExtra ??= {})[key] = value;
      }
    }
  }
  row[COLUMN_COUNT - 2] = inputExtra ? JSON.stringify(inputExtra) : null;

  let extra = unknownKeys(record, KNOWN_TOP_LEVEL);
  // Nested objects are kept whole in typed columns only for the keys the contract names; anything else survives here.
  const extraOutput = output ? unknownKeys(output, KNOWN_OUTPUT) : null;
  const extraLatency = latency ? unknownKeys(latency, KNOWN_LATENCY) : null;
  const extraModel = model ? unknownKeys(model, KNOWN_MODEL) : null;
  if (extraOutput) (extra ??= {}).output = extraOutput;
  if (extraLatency) (extra ??= {}).latency_ms = extraLatency;
  if (extraModel) (extra ??= {}).model = extraModel;
  // The ms column cannot hold a time zone offset or sub-millisecond digits: keep the original text when they exist.
  if (record.ts.length !== 24 || record.ts.charCodeAt(23) !== 90) (extra ??= {}).ts = record.ts;
  row[COLUMN_COUNT - 1] = extra ? JSON.stringify(extra) : null;
  return row;
}
