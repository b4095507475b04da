import { expect, it } from 'vitest';
import { parseLogLine } from '../../../core/contract/index.ts';
import { canonicalRow } from '../../../core/ingest/canonical-record.ts';
import { flattenRecord } from '../../../core/ingest/index.ts';
import { makeRecord } from './fixtures.ts';

/** A small seeded generator, so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const ODD_VALUES: unknown[] = [
  null,
  undefined,
  0,
  -0,
  1,
  -1,
  2.5,
  Number.MAX_VALUE,
  600,
  '',
  'x',
  '1',
  true,
  false,
  [],
  [1],
  {},
  { a: 1 },
  '2026-11-21T10:00:00Z',
  '2026-02-30T10:00:00.000Z',
  '2026-11-21T10:00:00.000+01:00',
  'has spaces',
];
const PATHS = [
  ['format_version'],
  ['ts'],
  ['request_id'],
  ['replica'],
  ['route'],
  ['http_status'],
  ['status'],
  ['model'],
  ['model', 'name'],
  ['model', 'version'],
  ['model', 'extra'],
  ['served_by'],
  ['degraded'],
  ['cache_hit'],
  ['applicant_ref'],
  ['client'],
  ['input'],
  ['input', 'AMT_CREDIT'],
  ['input', 'CODE_GENDER'],
  ['input', 'NOT_A_FIELD'],
  ['output'],
  ['output', 'probability'],
  ['output', 'decision'],
  ['output', 'threshold'],
  ['output', 'more'],
  ['latency_ms'],
  ['latency_ms', 'total'],
  ['latency_ms', 'queue'],
  ['latency_ms', 'other'],
  ['error'],
  ['error', 'code'],
  ['something_new'],
  ['__proto__'],
];

function mutate(record: Record<string, unknown>, next: () => number): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  const changes = 1 + Math.floor(next() * 3);
  for (let c = 0; c < changes; c++) {
    const path = PATHS[Math.floor(next() * PATHS.length)]!;
    const value = ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
    let target = copy;
    for (const key of path.slice(0, -1)) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const last = path[path.length - 1]!;
    if (value === undefined) delete target[last];
    else Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

it('reads a canonical line exactly as parseLogLine and flattenRecord do, and leaves every other line to them', () => {
  const next = random(16);
  let fast = 0;
  let slow = 0;
  for (let i = 0; i < 4000; i++) {
    const base = makeRecord(
      i,
      i % 7 === 0 ? { status: 'error', output: null, error: { code: 'E', message: 'm"\\n' } } : {},
    );
    const record = i % 4 === 0 ? (base as unknown as Record<string, unknown>) : mutate(base as never, next);
    const line = JSON.stringify(record);
    const row = canonicalRow(JSON.parse(line));
    const parsed = parseLogLine(line);
    if (row) {
      fast++;
      expect(parsed.ok, line).toBe(true);
      if (parsed.ok) expect(row, line).toEqual(flattenRecord(parsed.record));
      expect(Object.is(row[12], parsed.ok ? flattenRecord(parsed.record)[12] : undefined)).toBe(true);
    } else {
      slow++;
    }
  }
  // Both paths are exercised: the unchanged records and many mutated ones are canonical, the rest are not.
  expect(fast).toBeGreaterThan(1000);
  expect(slow).toBeGreaterThan(1000);
});

it('leaves to parseLogLine what is not a JSON object', () => {
  for (const value of [null, 1, 'x', [1, 2], true]) expect(canonicalRow(value)).toBeNull();
});

it('reads record times as Date.parse does, across days, months and years', () => {
  const next = random(7);
  for (let i = 0; i < 3000; i++) {
    const ms = Date.UTC(2000, 0, 1) + Math.floor(next() * 40 * 365 * 86_400_000);
    const ts = new Date(ms).toISOString();
    const row = canonicalRow(JSON.parse(JSON.stringify({ ...makeRecord(i), ts })));
    expect(row?.[0], ts).toBe(Date.parse(ts));
  }
  for (const ts of ['2026-02-29T10:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-11-21T24:00:00.000Z']) {
    const line = JSON.stringify({ ...makeRecord(1), ts });
    const parsed = parseLogLine(line);
    const row = canonicalRow(JSON.parse(line));
    if (row) expect(parsed.ok && flattenRecord(parsed.record)).toEqual(row);
  }
});
