import { describe, expect, it } from 'vitest';
import {
  formatLogLine,
  LOG_FILE_PATTERN,
  logFileName,
  parseLogLine,
  type LogRecord,
} from '../../../core/contract/index.ts';

function record(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format_version: 1,
    ts: '2026-11-21T10:15:02.123Z',
    request_id: '01JD5V9Q7Z4K2M8N3P6R',
    replica: 'api-0',
    route: '/v1/score',
    http_status: 200,
    status: 'ok',
    model: { name: 'credit-default', version: '1', alias: 'champion' },
    served_by: 'champion',
    degraded: false,
    cache_hit: false,
    applicant_ref: 'a1b2c3',
    input: { AMT_INCOME_TOTAL: 202500 },
    output: { probability: 0.083, decision: 'approve', threshold: 0.11 },
    latency_ms: { total: 2.14, queue: 0.31, inference: 0.92 },
    error: null,
    client: 'k-1234',
    ...patch,
  };
}

describe('log line parser', () => {
  it('reads a well-formed record', () => {
    const result = parseLogLine(JSON.stringify(record()));
    expect(result).toMatchObject({ ok: true, record: { request_id: '01JD5V9Q7Z4K2M8N3P6R', status: 'ok' } });
  });

  it('keeps fields it does not know', () => {
    const result = parseLogLine(JSON.stringify(record({ trace_id: 'abc' })));
    expect(result.ok && result.record.trace_id).toBe('abc');
  });

  it('tolerates a trailing carriage return', () => {
    expect(parseLogLine(`${JSON.stringify(record())}\r`).ok).toBe(true);
  });

  it('round-trips through formatLogLine', () => {
    const line = formatLogLine(record() as LogRecord);
    expect(line.endsWith('\n')).toBe(true);
    expect(parseLogLine(line.slice(0, -1)).ok).toBe(true);
  });

  it.each([
    ['a blank line', '   ', 'empty_line'],
    ['a line cut in the middle', JSON.stringify(record()).slice(0, 80), 'truncated_line'],
    ['text that is not JSON', 'GET /v1/score 200', 'bad_json'],
    ['a JSON array', '[1,2,3]', 'not_object'],
    ['a JSON string', '"hello"', 'not_object'],
    ['a future format version', JSON.stringify(record({ format_version: 2 })), 'unsupported_format_version'],
    ['a missing request_id', JSON.stringify(record({ request_id: undefined })), 'missing_request_id'],
    ['an empty request_id', JSON.stringify(record({ request_id: '' })), 'missing_request_id'],
    ['a numeric request_id', JSON.stringify(record({ request_id: 42 })), 'invalid_request_id'],
    ['a request_id with spaces', JSON.stringify(record({ request_id: 'a b' })), 'invalid_request_id'],
    ['a ts without time zone', JSON.stringify(record({ ts: '2026-11-21T10:15:02' })), 'invalid_ts'],
    ['an impossible ts', JSON.stringify(record({ ts: '2026-13-45T10:15:02Z' })), 'invalid_ts'],
    ['an unknown status', JSON.stringify(record({ status: 'maybe' })), 'invalid_field'],
    [
      'a probability above 1',
      JSON.stringify(record({ output: { probability: 1.5, decision: 'x', threshold: 0.1 } })),
      'invalid_field',
    ],
    ['a negative latency', JSON.stringify(record({ latency_ms: { total: -1 } })), 'invalid_field'],
    ['an http_status out of range', JSON.stringify(record({ http_status: 999 })), 'invalid_field'],
  ])('refuses %s with a reason', (_name, line, reason) => {
    const result = parseLogLine(line);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.detail.length).toBeGreaterThan(0);
    }
  });

  it('fills missing optional fields with neutral values', () => {
    const minimal = {
      ts: '2026-11-21T10:15:02Z',
      request_id: 'r-1',
      replica: 'api-0',
      route: '/v1/score',
      http_status: 401,
      status: 'rejected',
    };
    const result = parseLogLine(JSON.stringify(minimal));
    expect(result).toMatchObject({
      ok: true,
      record: { degraded: false, output: null, model: null, format_version: 1 },
    });
  });
});

describe('log file names', () => {
  it('names files by replica and UTC day, and the pattern reads them back', () => {
    expect(logFileName('api-0', '2026-11-21')).toBe('predictions-api-0-2026-11-21.jsonl');
    expect(logFileName('api-0', '2026-11-21', 2)).toBe('predictions-api-0-2026-11-21.2.jsonl');
    expect('predictions-api-0-2026-11-21.2.jsonl.gz'.match(LOG_FILE_PATTERN)?.slice(1, 4)).toEqual([
      'api-0',
      '2026-11-21',
      '2',
    ]);
    expect(LOG_FILE_PATTERN.test('../etc/passwd')).toBe(false);
  });
});
