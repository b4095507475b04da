import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileInputSchema, formatLogLine, parseLogLine, type LogRecord } from '../../../core/contract/index.ts';
import {
  applicantRef,
  generateTraffic,
  generateTrafficDays,
  planTraffic,
  SIMULATOR_HASH_KEY,
  type TrafficOptions,
} from '../../../core/simulate/index.ts';
import { createHmac } from 'node:crypto';

const schema = compileInputSchema(
  JSON.parse(readFileSync(new URL('../../fixtures/input_schema.json', import.meta.url), 'utf8')),
);
/** Generated once per set of options: the records are deterministic, and generating them is the slow part. */
const generated = new Map<string, LogRecord[]>();
function traffic(options: Partial<TrafficOptions> = {}): LogRecord[] {
  const key = JSON.stringify(options);
  if (!generated.has(key))
    generated.set(key, [...generateTraffic({ days: 7, rows: 6000, seed: 5, schema, ...options })]);
  return generated.get(key)!;
}
const hourOf = (record: LogRecord) => Number(record.ts.slice(11, 13));

describe('simulated traffic', () => {
  it('yields the same records for the same options', () => {
    const again = [...generateTraffic({ days: 7, rows: 6000, seed: 5, schema })];
    expect(again.map(formatLogLine)).toEqual(traffic().map(formatLogLine));
  });

  it('yields different records for a different seed', () => {
    expect(traffic({ seed: 6 }).map(formatLogLine)).not.toEqual(traffic().map(formatLogLine));
  });

  it('yields exactly the requested number of records, in time order, within the period', () => {
    const records = traffic({ start: '2026-12-30' });
    expect(records).toHaveLength(6000);
    const times = records.map((record) => Date.parse(record.ts));
    expect(times.every((time, i) => i === 0 || time >= times[i - 1]!)).toBe(true);
    expect(records[0]!.ts >= '2026-12-30T00:00:00.000Z').toBe(true);
    expect(records.at(-1)!.ts < '2027-01-06T00:00:00.000Z').toBe(true);
  });

  it('writes records that the log-line parser reads back unchanged', () => {
    for (const record of traffic()) {
      const parsed = parseLogLine(formatLogLine(record).trimEnd());
      expect(parsed).toEqual({ ok: true, record });
    }
  });

  it('generates any range of days exactly as within the whole period', () => {
    const plan = planTraffic({ days: 7, rows: 6000, seed: 5, schema });
    const middle = [...generateTrafficDays(plan, schema, 2, 4)].map(formatLogLine);
    const whole = traffic().filter((record) => record.ts >= '2026-11-03' && record.ts < '2026-11-05');
    expect(middle).toEqual(whole.map(formatLogLine));
  });

  it('gives every request a distinct request id', () => {
    const ids = traffic().map((record) => record.request_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives request ids as the API makes them: UUIDv7 carrying the request time, in time order per replica', () => {
    const records = traffic({ replicas: 2 });
    for (const record of records) {
      expect(record.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ms = Number.parseInt(record.request_id.slice(0, 8) + record.request_id.slice(9, 13), 16);
      expect(ms).toBe(Date.parse(record.ts));
    }
    for (const replica of ['api-0', 'api-1']) {
      const ids = records.filter((record) => record.replica === replica).map((record) => record.request_id);
      expect([...ids].sort()).toEqual(ids);
    }
  });

  it('spreads requests over the replicas', () => {
    const replicas = new Set(traffic({ replicas: 3 }).map((record) => record.replica));
    expect(replicas).toEqual(new Set(['api-0', 'api-1', 'api-2']));
  });

  it('receives fewer requests at night than during office hours', () => {
    const records = traffic();
    const night = records.filter((record) => hourOf(record) >= 2 && hourOf(record) < 5).length;
    const office = records.filter((record) => hourOf(record) >= 10 && hourOf(record) < 13).length;
    expect(office).toBeGreaterThan(8 * night);
  });

  it('receives fewer requests on weekends than on weekdays', () => {
    // 2026-11-01 is a Sunday: the period holds one Sunday, five weekdays and one Saturday.
    const perDay = new Map<string, number>();
    for (const record of traffic()) perDay.set(record.ts.slice(0, 10), (perDay.get(record.ts.slice(0, 10)) ?? 0) + 1);
    expect(perDay.get('2026-11-01')!).toBeLessThan(0.6 * perDay.get('2026-11-03')!);
    expect(perDay.get('2026-11-07')!).toBeLessThan(0.75 * perDay.get('2026-11-04')!);
  });

  it('answers most requests, and logs a few invalid, rejected and failed ones', () => {
    const records = traffic({ rows: 20_000 });
    const share = (status: string) => records.filter((record) => record.status === status).length / records.length;
    expect(share('ok')).toBeGreaterThan(0.93);
    expect(share('invalid')).toBeGreaterThan(0.01);
    expect(share('invalid')).toBeLessThan(0.05);
    expect(share('rejected')).toBeGreaterThan(0.003);
    expect(share('rejected')).toBeLessThan(0.02);
    expect(share('error')).toBeLessThan(0.005);
  });

  it('logs answered requests with the champion, an output and three latencies', () => {
    const answered = traffic().filter((record) => record.status === 'ok');
    const champion = answered.filter((record) => record.served_by === 'champion');
    expect(champion.length / answered.length).toBeGreaterThan(0.98);
    for (const record of champion) {
      expect(record.model).toEqual({ name: 'credit-default', version: '1', alias: 'champion' });
      expect(record.degraded).toBe(false);
      expect(record.output!.probability).toBeGreaterThan(0);
      expect(record.output!.decision).toBe(
        record.output!.probability >= record.output!.threshold ? 'refuse' : 'approve',
      );
      expect(Object.keys(record.latency_ms!)).toEqual(['total', 'queue', 'inference']);
    }
  });

  it('keeps answered inputs valid once an id is added back', () => {
    for (const record of traffic().filter((r) => r.status === 'ok')) {
      expect(schema.validate({ SK_ID_CURR: 1, ...record.input }).ok).toBe(true);
    }
  });

  it('logs invalid requests with the validator issues and the parseable input', () => {
    const invalid = traffic({ rows: 20_000 }).filter((record) => record.status === 'invalid');
    expect(invalid.length).toBeGreaterThan(0);
    for (const record of invalid) {
      expect(record.http_status).toBe(400);
      expect(record.error!.code).toBe('VALIDATION_FAILED');
      expect(record.error!.issues!.length).toBeGreaterThan(0);
      expect(record.input).not.toBeNull();
      expect(record.output).toBeNull();
    }
  });

  it('logs rejected requests as 401 or 429 without input', () => {
    const rejected = traffic({ rows: 20_000 }).filter((record) => record.status === 'rejected');
    expect(new Set(rejected.map((record) => record.http_status))).toEqual(new Set([401, 429]));
    for (const record of rejected) expect(record.input).toBeNull();
  });

  it('pseudonymises applicants with an HMAC of SK_ID_CURR and never logs the id', () => {
    for (const record of traffic()) {
      expect(record.input ?? {}).not.toHaveProperty('SK_ID_CURR');
      if (record.applicant_ref !== null) expect(record.applicant_ref).toMatch(/^[0-9a-f]{32}$/);
    }
    const expected = createHmac('sha256', SIMULATOR_HASH_KEY).update('1000000').digest('hex').slice(0, 32);
    expect(applicantRef(1_000_000)).toBe(expected);
  });

  it('marks some resent applicants as cache hits with the same answer', () => {
    const answered = traffic({ rows: 20_000 }).filter((record) => record.status === 'ok');
    const hits = answered.filter((record) => record.cache_hit);
    expect(hits.length).toBeGreaterThan(0);
    const first = new Map(answered.filter((r) => !r.cache_hit).map((r) => [r.applicant_ref, r.output!.probability]));
    for (const hit of hits) expect(hit.output!.probability).toBe(first.get(hit.applicant_ref));
  });

  it('follows a smaller schema: only its fields are logged, probabilities stay finite', () => {
    const document = JSON.parse(readFileSync(new URL('../../fixtures/input_schema.json', import.meta.url), 'utf8')) as {
      properties: Record<string, unknown>;
      required: string[];
    };
    const kept = Object.entries(document.properties).filter(([name]) => !/^(EXT_SOURCE|DAYS_BIRTH)/.test(name));
    const smaller = compileInputSchema({
      ...document,
      properties: Object.fromEntries(kept),
      required: document.required.filter((name) => name !== 'DAYS_BIRTH'),
    });
    const answered = [...generateTraffic({ days: 1, rows: 300, seed: 1, schema: smaller })].filter(
      (record) => record.status === 'ok',
    );
    expect(answered.length).toBeGreaterThan(250);
    for (const record of answered) {
      expect(Object.keys(record.input!).some((name) => /^(EXT_SOURCE|DAYS_BIRTH)/.test(name))).toBe(false);
      expect(Number.isFinite(record.output!.probability)).toBe(true);
    }
  });

  it('refuses bad options with a RangeError naming the option', () => {
    expect(() => planTraffic({ days: 7, rows: 0, seed: 1, schema })).toThrow(/rows/);
    expect(() => planTraffic({ days: 0, rows: 10, seed: 1, schema })).toThrow(/days/);
    expect(() => planTraffic({ days: 7, rows: 10, seed: 1, schema, start: '2026-13-01' })).toThrow(/start/);
    const scenario = 'meteor' as unknown as TrafficOptions['scenario'];
    expect(() => planTraffic({ days: 7, rows: 10, seed: 1, schema, scenario })).toThrow(/scenario must be one of/);
  });
});
