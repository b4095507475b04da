import { expect, it } from 'vitest';
import { parseLogLine } from '../../../core/contract/index.ts';
import { canonicalRow } from '../../../core/ingest/canonical-record.ts';
import { flattenRecord } from '../../../core/ingest/index.ts';
import { makeRecord } from './fixtures.ts';
import { mutate, random } from './record-mutations.ts';

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
