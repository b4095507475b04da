import { afterEach, beforeEach, expect, it } from 'vitest';
import { MAX_LOG_LINE_LENGTH } from '../../../core/contract/index.ts';
import { ingestPaths, QUARANTINE_REASONS } from '../../../core/ingest/index.ts';
import { openStore, type Store } from '../../../db/index.ts';
import { line, makeRecord, tempDir, type TempDir } from './fixtures.ts';

let dir: TempDir;
let store: Store;

beforeEach(() => {
  dir = tempDir();
  store = openStore(':memory:');
});

afterEach(() => {
  store.close();
  dir.cleanup();
});

const record = makeRecord(1) as unknown as Record<string, unknown>;
const without = (key: string): Record<string, unknown> => {
  const copy = { ...record };
  delete copy[key];
  return copy;
};

const cases: Array<[string, string | Buffer]> = [
  ['bad_json', 'this is not JSON'],
  ['truncated_line', line(record).slice(0, 200)],
  ['not_object', '[1, 2, 3]'],
  ['unsupported_format_version', line({ ...record, format_version: 2 })],
  ['missing_request_id', line(without('request_id'))],
  ['invalid_request_id', line({ ...record, request_id: 'has spaces and / slashes' })],
  ['invalid_ts', line({ ...record, ts: '21/11/2026 10:00' })],
  ['invalid_field', line({ ...record, status: 'maybe' })],
  ['line_too_long', `{"request_id":"r1","pad":"${'x'.repeat(MAX_LOG_LINE_LENGTH + 10)}"}`],
  [
    'invalid_utf8',
    Buffer.concat([Buffer.from(line(record).slice(0, 40)), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
  ],
];

it.each(cases)('quarantines a line with reason %s, with its file and line number', async (reason, content) => {
  const bytes = Buffer.concat([
    Buffer.from(`${line(makeRecord(0))}\n`),
    typeof content === 'string' ? Buffer.from(content) : content,
    Buffer.from(`\n${line(makeRecord(2))}\n`),
  ]);
  const file = dir.file('logs.jsonl', bytes);
  const summary = await ingestPaths(store, [file]);
  expect(summary).toMatchObject({ lines: 3, inserted: 2, quarantined: 1, by_reason: { [reason]: 1 } });
  const [entry] = store.catalog.listQuarantine().rows;
  expect(entry).toMatchObject({ location: file, lineNo: 2, reason });
  expect(entry!.detail.length).toBeGreaterThan(0);
  expect(Buffer.byteLength(entry!.excerpt)).toBeLessThanOrEqual(1024);
});

it('drops a runaway line with no newline in sight without holding it in memory', async () => {
  const huge = `{"pad":"${'y'.repeat(MAX_LOG_LINE_LENGTH * 5)}"}`;
  const file = dir.file('logs.jsonl', `${line(makeRecord(0))}\n${huge}\n${line(makeRecord(1))}\n`);
  const summary = await ingestPaths(store, [file]);
  expect(summary).toMatchObject({ lines: 3, inserted: 2, by_reason: { line_too_long: 1 } });
  expect(store.catalog.listQuarantine().rows[0]!.lineNo).toBe(2);
});

it('lists every reason it can give, the log parser reasons included', () => {
  expect(QUARANTINE_REASONS).toEqual(expect.arrayContaining(cases.map(([reason]) => reason)));
});
