import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { BatchCollector } from '../../../core/ingest/batch-collector.ts';
import { canonicalRow } from '../../../core/ingest/canonical-record.ts';
import { FLAT_COLUMNS } from '../../../core/ingest/flat-record.ts';
import { lineScanner } from '../../../core/ingest/line-scanner.ts';
import { LineSplitter, type LineHandler } from '../../../core/ingest/line-splitter.ts';
import { makeRecord } from './fixtures.ts';
import { mutate, random } from './record-mutations.ts';

/** What a collector gets from `bytes`, fed in pieces of the given sizes, with or without the byte path. */
function collect(bytes: Buffer, pieces: number[], withBytes: boolean, skipLines = 0) {
  const collector = new BatchCollector(skipLines);
  // A handler without lineBytes gets every line as text: the path the scanner must agree with.
  const handler: LineHandler = withBytes
    ? collector
    : { line: (text, n) => collector.line(text, n), badLine: (...args) => collector.badLine(...args) };
  const splitter = new LineSplitter(handler);
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = pieces[k % pieces.length]!;
    splitter.push(bytes.subarray(at, at + size));
    at += size;
  }
  splitter.end();
  return { ...collector.take(), seen: splitter.linesSeen };
}

function expectSameReading(bytes: Buffer, pieces: number[], skipLines = 0): ReturnType<typeof collect> {
  const scanned = collect(bytes, pieces, true, skipLines);
  const text = collect(bytes, pieces, false, skipLines);
  expect(scanned.seen).toBe(text.seen);
  expect(scanned.lines).toBe(text.lines);
  expect(scanned.quarantined).toStrictEqual(text.quarantined);
  expect(scanned.rows.length).toBe(text.rows.length);
  // Row by row, so a failure names its line; toStrictEqual tells -0 from 0.
  scanned.rows.forEach((row, i) => expect(row, `row ${i}`).toStrictEqual(text.rows[i]));
  return scanned;
}

const BYTE_EDITS = [
  '"',
  '\\',
  ' ',
  ',',
  ':',
  '}',
  '{',
  '[',
  ']',
  '0',
  '7',
  '-',
  '.',
  'e',
  'é',
  '\r',
  '\t',
  'x',
  '\u0001',
];

/** Changes a few bytes of a line: an insert, a deletion or a replacement (the result may be any text at all). */
function editBytes(line: string, next: () => number): string {
  let text = line;
  for (let c = 1 + Math.floor(next() * 2); c > 0; c--) {
    const at = Math.floor(next() * text.length);
    const edit = BYTE_EDITS[Math.floor(next() * BYTE_EDITS.length)]!;
    const kind = next();
    if (kind < 0.4) text = text.slice(0, at) + edit + text.slice(at);
    else if (kind < 0.7) text = text.slice(0, at) + text.slice(at + 1);
    else text = text.slice(0, at) + edit + text.slice(at + 1);
  }
  return text;
}

it('reads logged, mutated and damaged lines exactly as JSON.parse and the record parser do', () => {
  const next = random(1617);
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const base = makeRecord(
      i,
      i % 9 === 0 ? { status: 'error', output: null, error: { code: 'E', message: 'm"\\n' } } : {},
    ) as unknown as Record<string, unknown>;
    const kind = i % 4;
    if (kind === 0) lines.push(JSON.stringify(base));
    else if (kind === 1) lines.push(JSON.stringify(mutate(base, next)));
    else if (kind === 2) lines.push(editBytes(JSON.stringify(base), next));
    else lines.push(JSON.stringify(base, null, i % 8 === 3 ? 1 : undefined).replace('"F"', '"Fé"'));
  }
  const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const read = expectSameReading(bytes, [65_536, 7, 300_001, 1]);
  // Both outcomes are exercised: most lines are rows, the damaged ones quarantined.
  expect(read.rows.length).toBeGreaterThan(3000);
  expect(read.quarantined.length).toBeGreaterThan(300);
});

it('reads numbers as JSON.parse does, and leaves it those a double cannot hold as digits ÷ 10^k', () => {
  const values = [
    '0',
    '-0',
    '-0.0',
    '1.0',
    '0.1',
    '0.30000000000000004',
    '123456.789',
    '9007199254740992',
    '9007199254740993',
    '12345678901234567890',
    '1e5',
    '1E-7',
    '2.5e+3',
    '0.0000000000000000000001',
    '0.00000000000000000000001',
    '1.7976931348623157',
    '00',
    '01',
    '-',
    '1.',
    '.5',
    '-.5',
    '+1',
    '0x10',
    'NaN',
    'Infinity',
    '1_000',
  ];
  const lines = values.flatMap((value) => {
    const record = JSON.stringify(makeRecord(3));
    return [
      record.replace('"AMT_CREDIT":400000', `"AMT_CREDIT":${value}`),
      record.replace('"http_status":200', `"http_status":${value}`),
      record.replace(/"probability":[^,}]+/, `"probability":${value}`),
    ];
  });
  const read = expectSameReading(Buffer.from(`${lines.join('\n')}\n`), [1 << 20]);
  // "-0" and "-0.0" stay −0, as JSON.parse reads them.
  const credit = FLAT_COLUMNS.indexOf('AMT_CREDIT');
  expect(read.rows.filter((row) => Object.is(row[credit], -0))).toHaveLength(2);
});

it('reads times as the record parser does, from one day to the next and at the edges of each field', () => {
  const times = [
    '2026-11-21T10:00:00.000Z',
    '2026-11-21T23:59:59.999Z',
    // Bad hours, minutes and seconds on the day just read, then on another.
    '2026-11-21T24:30:00.000Z',
    '2026-11-21T10:60:00.000Z',
    '2026-11-21T10:00:60.000Z',
    '2026-11-22T00:00:00.000Z',
    '2026-11-23T24:00:00.000Z',
    '2024-02-29T10:00:00.000Z',
    '2026-02-29T10:00:00.000Z',
    '2026-02-30T10:00:00.000Z',
    '2026-13-01T10:00:00.000Z',
    '2026-00-10T10:00:00.000Z',
    '2026-11-00T10:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00.000Z',
    '2026-11-21 10:00:00.000Z',
    '2026-11-21T10:00:00.000z',
    '2026-11-21T10:00:00.00Z',
    '2026-11-21T10:00:00.0000Z',
    '2026-11-21T10:00:00.000+01:00',
    '2026-1a-21T10:00:00.000Z',
    '2026-11-21T10:00:00.000Z',
  ];
  const record = JSON.stringify(makeRecord(2));
  const lines = times.map((ts) => record.replace(/"ts":"[^"]*"/, `"ts":"${ts}"`));
  const read = expectSameReading(Buffer.from(`${lines.join('\n')}\n`), [1 << 20]);
  expect(read.rows.length).toBeGreaterThan(5);
});

it('keeps each repeated text right when lines in between are left to JSON.parse or change it', () => {
  const lines: string[] = [];
  const long = 'L'.repeat(150);
  for (let i = 0; i < 400; i++) {
    const record = makeRecord(i) as unknown as Record<string, unknown>;
    // More values than the scanner keeps per key, some of the longest it keeps and just longer, in changing order.
    const replicas = ['api-0', 'api-1', 'r'.repeat(60), 'r'.repeat(61), 'é'.repeat(30), 'api-2', long + (i % 2)];
    record.replica = replicas[(i * i + (i >> 3)) % replicas.length]!;
    // Texts in mid-line with bytes beyond ASCII at every place of an eight-byte window, and none.
    const routes = ['/v1/score', '/v1/score-batch', '/é', '/v1/sé', 'abcdefgé', 'éabcdefghijk', 'abcdefghijkl€'];
    record.route = routes[(i >> 2) % routes.length]!;
    if (i % 7 === 0) record.client = 'café';
    let line = JSON.stringify(record);
    // Now and then a line the scanner gives up on halfway, after it has seen some of the texts.
    if (i % 11 === 0) line = line.replace('"input":{', '"input": {');
    if (i % 13 === 0) line = line.replace('"client":', '"client":"x","client":');
    lines.push(line);
  }
  expectSameReading(Buffer.from(`${lines.join('\r\n')}\r\n\n\n`), [4096, 333]);
  expectSameReading(Buffer.from(`\ufeff${lines.join('\n')}`), [1 << 20], 57);
});

it('reads error objects, keys the contract does not name and a value of the wrong type as the record parser does', () => {
  const record = JSON.stringify(makeRecord(5));
  const error = (value: string): string =>
    record.replace('"error":null', `"error":${value}`).replace('"status":"ok"', '"status":"invalid"');
  const keys = (text: string): string => record.replace(/}$/, `,${text}}`);
  // Read by the scanner (with JSON.parse for the error and extra values only), or left to the text path.
  const read = [
    error(
      '{"code":"VALIDATION_FAILED","message":"must be one of \\"M\\", \\"F\\"; got \\"é\\"","issues":[{"path":"A","n":[1,{"b":[]}]}]}',
    ),
    error('{"code":7,"message":"a,b}c]"}'),
    error('{}'),
    keys('"degraded_reason":"champion error"'),
    keys('"b":{"nested":[1,"x}"]},"a":null,"c":true,"d":-1.5e3,"e":"q\\"uote"'),
    record.replace('"AMT_CREDIT":400000', '"AMT_CREDIT":"400000"'),
    record.replace('"CODE_GENDER":"M"', '"CODE_GENDER":1'),
    record.replace('"CODE_GENDER":"M"', '"CODE_GENDER":false'),
  ];
  const refused = [
    error('[1,2]'),
    error('{"code":"E"'),
    keys('"x":1,"x":2'),
    keys('"__proto__":{"a":1}'),
    keys('"b":1,"2":2'),
    keys(Array.from({ length: 9 }, (_, i) => `"k${i}":${i}`).join(',')),
    keys('"bad":tru'),
    keys('"bad":[1,'),
    record.replace('"AMT_CREDIT":400000', '"AMT_CREDIT":"1"').replace('"CODE_GENDER":"M"', '"CODE_GENDER":2'),
  ];
  const lines = [...read, ...refused];
  expectSameReading(Buffer.from(`${lines.join('\n')}\n`), [1 << 20, 9]);
  const scanner = lineScanner()!;
  const bytes = Buffer.from(lines.join('\n'));
  scanner.load(bytes);
  let at = 0;
  const taken = lines.map((line) => {
    const length = Buffer.byteLength(line);
    const row = scanner.rowAt(at, length);
    at += length + 1;
    return row !== undefined;
  });
  expect(taken.slice(0, read.length)).toEqual(read.map(() => true));
});

it('is the WebAssembly module its AssemblyScript source compiles to', () => {
  const script = fileURLToPath(new URL('../../../scripts/build-wasm.mjs', import.meta.url));
  expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
});

it('reads the API’s own lines itself, without JSON.parse', () => {
  const scanner = lineScanner();
  expect(scanner).not.toBeNull();
  const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify(makeRecord(i)));
  const bytes = Buffer.from(lines.join('\n'));
  scanner!.load(bytes);
  let at = 0;
  for (const line of lines) {
    const length = Buffer.byteLength(line);
    expect(scanner!.rowAt(at, length), line).toStrictEqual(canonicalRow(JSON.parse(line)));
    at += length + 1;
  }
});
