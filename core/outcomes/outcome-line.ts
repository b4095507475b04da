/**
 * One outcome line (CONTRACT.md section 3b) checked and turned into an OutcomeRow, or a quarantine reason.
 * CSV rows are one per line (RFC 4180 quotes, no line breaks inside a cell); JSONL lines are one object each.
 */
import { excerpt } from '../ingest/excerpt.ts';
import { pseudonymise } from './hash-key.ts';
import type { OutcomeKey, OutcomeLineReason, OutcomeQuarantine, OutcomeRow } from './target.ts';

export type OutcomeParse = { ok: true; row: OutcomeRow } | { ok: false; bad: OutcomeQuarantine };

const MAX_REQUEST_ID = 200;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const REDACTED = '[redacted]';

/** Splits one CSV line into cells (double quotes quote a cell, "" inside is a quote). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells.map((value) => value.trim());
}

export interface LineContext {
  key: OutcomeKey;
  /** Needed with key SK_ID_CURR. */
  hashKey: string | null;
}

function fail(lineNo: number, reason: OutcomeLineReason, detail: string, shown: string): OutcomeParse {
  return { ok: false, bad: { lineNo, reason, detail, excerpt: excerpt(shown) } };
}

function parseTarget(value: unknown): 0 | 1 | null {
  if (value === 0 || value === '0') return 0;
  if (value === 1 || value === '1') return 1;
  return null;
}

function parseObservedAt(value: unknown): number | null {
  if (typeof value !== 'string' || !ISO_TIME.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Checks the fields of one outcome, whatever the file format; `shown` is the redacted line for the quarantine. */
export function outcomeFromFields(
  fields: Record<string, unknown>,
  lineNo: number,
  context: LineContext,
  shown: string,
): OutcomeParse {
  const rawKey = fields[context.key];
  let requestId: string | null = null;
  let applicantRef: string | null = null;
  if (rawKey === undefined || rawKey === null || rawKey === '') {
    return fail(lineNo, 'missing_key', `the line has no ${context.key}`, shown);
  }
  if (context.key === 'request_id') {
    if (typeof rawKey !== 'string' || rawKey.length > MAX_REQUEST_ID) {
      return fail(lineNo, 'bad_key', `request_id must be text of at most ${MAX_REQUEST_ID} characters`, shown);
    }
    requestId = rawKey;
  } else {
    const id = typeof rawKey === 'number' ? rawKey : /^\d+$/.test(String(rawKey)) ? Number(rawKey) : Number.NaN;
    applicantRef = pseudonymise(context.hashKey!, id);
    if (applicantRef === null) return fail(lineNo, 'bad_key', 'SK_ID_CURR must be a positive integer', shown);
  }
  const outcome = parseTarget(fields.TARGET);
  if (outcome === null) return fail(lineNo, 'bad_target', 'TARGET must be 1 (defaulted) or 0 (repaid)', shown);
  const observedAt = parseObservedAt(fields.observed_at);
  if (observedAt === null) {
    return fail(
      lineNo,
      'bad_observed_at',
      'observed_at must be an ISO 8601 UTC time such as 2026-12-01T09:30:00Z',
      shown,
    );
  }
  return { ok: true, row: { lineNo, requestId, applicantRef, outcome, observedAt } };
}

/** A JSONL line's fields, or the reason it cannot be read. */
export function parseJsonOutcome(text: string, lineNo: number, context: LineContext): OutcomeParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The line may hold a raw SK_ID_CURR: keep no digits of it.
    const shown = context.key === 'SK_ID_CURR' ? text.replace(/\d+/g, '#') : text;
    return fail(lineNo, 'unreadable', 'the line is not a JSON object', shown);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(lineNo, 'unreadable', 'the line is not a JSON object', context.key === 'SK_ID_CURR' ? '' : text);
  }
  const fields = value as Record<string, unknown>;
  const shown =
    context.key === 'SK_ID_CURR' && 'SK_ID_CURR' in fields ? JSON.stringify({ ...fields, SK_ID_CURR: REDACTED }) : text;
  return outcomeFromFields(fields, lineNo, context, shown);
}

/** A CSV row's fields by header name. */
export function parseCsvOutcome(cells: string[], header: string[], lineNo: number, context: LineContext): OutcomeParse {
  const fields: Record<string, unknown> = {};
  header.forEach((name, i) => {
    fields[name] = cells[i] ?? '';
  });
  const keyIndex = header.indexOf('SK_ID_CURR');
  const shown = cells.map((cell, i) => (i === keyIndex && context.key === 'SK_ID_CURR' ? REDACTED : cell)).join(',');
  if (cells.length !== header.length) {
    return fail(lineNo, 'unreadable', `the row has ${cells.length} cells, the header ${header.length}`, shown);
  }
  return outcomeFromFields(fields, lineNo, context, shown);
}
