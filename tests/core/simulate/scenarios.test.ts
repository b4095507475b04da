import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileInputSchema, type LogRecord } from '../../../core/contract/index.ts';
import {
  generateTraffic,
  PARTNER_CLIENT,
  resolveScenario,
  SCENARIO_NAMES,
  SCENARIOS,
  type ScenarioName,
} from '../../../core/simulate/index.ts';

const schema = compileInputSchema(
  JSON.parse(readFileSync(new URL('../../fixtures/input_schema.json', import.meta.url), 'utf8')),
);
/** Six days from Sunday 2026-11-01: day k = 3 is 2026-11-04. */
const DAYS = 6;
const SHIFT_DAY = '2026-11-04';

const generated = new Map<ScenarioName, LogRecord[]>();
function run(scenario: ScenarioName): LogRecord[] {
  if (!generated.has(scenario))
    generated.set(scenario, [...generateTraffic({ days: DAYS, rows: 12_000, seed: 3, scenario, schema })]);
  return generated.get(scenario)!;
}

const answered = (records: LogRecord[]) => records.filter((record) => record.status === 'ok' && !record.cache_hit);
const day = (records: LogRecord[], which: string) => records.filter((record) => record.ts.startsWith(which));
const before = (records: LogRecord[]) => records.filter((record) => record.ts < SHIFT_DAY);
const after = (records: LogRecord[]) => records.filter((record) => record.ts >= SHIFT_DAY);
const numbers = (records: LogRecord[], field: string) =>
  records.map((record) => record.input?.[field]).filter((value): value is number => typeof value === 'number');
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const share = (records: LogRecord[], test: (record: LogRecord) => boolean) =>
  records.filter(test).length / records.length;
const inIncidentHour = (record: LogRecord) => record.ts.startsWith(`${SHIFT_DAY}T14`);

describe('traffic scenarios', () => {
  it('documents every scenario with a description and machine-readable injections', () => {
    expect(Object.keys(SCENARIOS)).toEqual([...SCENARIO_NAMES]);
    for (const scenario of Object.values(SCENARIOS)) {
      expect(scenario.description.length).toBeGreaterThan(10);
      for (const injection of scenario.injections) {
        expect(injection.fields.length).toBeGreaterThan(0);
        expect(injection.description.length).toBeGreaterThan(10);
      }
    }
    expect(SCENARIOS.stable.injections).toEqual([]);
  });

  it('names the fields a shift changes directly and those that follow from them', () => {
    const [population, contracts] = SCENARIOS['sudden-shift'].injections;
    expect(population!.fields).toContain('DAYS_BIRTH');
    expect(population!.alsoAffects).toContain('EXT_SOURCE_1');
    expect(contracts!.alsoAffects).toContain('AMT_CREDIT');
  });

  it('places middle-of-period injections on day k = floor(days / 2), hour-long ones on their hour', () => {
    const resolved = resolveScenario('incident', DAYS, Date.parse('2026-11-01T00:00:00Z'));
    for (const injection of resolved.injections) {
      expect(injection.startDay).toBe(3);
      expect(injection.startTs).toBe(`${SHIFT_DAY}T14:00:00.000Z`);
      expect(injection.endTs).toBe(`${SHIFT_DAY}T15:00:00.000Z`);
    }
    const drift = resolveScenario('gradual-drift', DAYS, Date.parse('2026-11-01T00:00:00Z'));
    expect(drift.injections[0]).toMatchObject({ startDay: 0, endTs: '2026-11-07T00:00:00.000Z' });
  });

  it('keeps the income level steady in the stable scenario', () => {
    const records = answered(run('stable'));
    const ratio =
      mean(numbers(day(records, '2026-11-06'), 'AMT_INCOME_TOTAL')) /
      mean(numbers(day(records, '2026-11-02'), 'AMT_INCOME_TOTAL'));
    expect(Math.abs(ratio - 1)).toBeLessThan(0.05);
  });

  it('inflates incomes and lowers EXT_SOURCE_2 day after day in gradual-drift', () => {
    const records = answered(run('gradual-drift'));
    const [first, last] = [day(records, '2026-11-01'), day(records, '2026-11-06')];
    const incomeRatio = mean(numbers(last, 'AMT_INCOME_TOTAL')) / mean(numbers(first, 'AMT_INCOME_TOTAL'));
    expect(incomeRatio).toBeGreaterThan(1.06);
    expect(mean(numbers(last, 'EXT_SOURCE_2'))).toBeLessThan(mean(numbers(first, 'EXT_SOURCE_2')) - 0.03);
  });

  it('brings young applicants, Revolving loans and a new client from day k in sudden-shift', () => {
    const records = answered(run('sudden-shift'));
    const revolving = (record: LogRecord) => record.input?.NAME_CONTRACT_TYPE === 'Revolving loans';
    expect(share(before(records), revolving)).toBeLessThan(0.15);
    expect(share(after(records), revolving)).toBeGreaterThan(0.35);
    expect(mean(numbers(after(records), 'DAYS_BIRTH'))).toBeGreaterThan(
      mean(numbers(before(records), 'DAYS_BIRTH')) + 1500,
    );
    expect(before(records).some((record) => record.client === PARTNER_CLIENT)).toBe(false);
    expect(share(after(records), (record) => record.client === PARTNER_CLIENT)).toBeGreaterThan(0.4);
  });

  it('sends EXT_SOURCE_3 as null from day k in data-quality', () => {
    const records = answered(run('data-quality'));
    const missing = (record: LogRecord) => record.input?.EXT_SOURCE_3 === null;
    expect(share(before(records), missing)).toBeLessThan(0.3);
    expect(share(after(records), missing)).toBe(1);
  });

  it('logs the unknown category as invalid records keeping the raw input, from day k only', () => {
    const records = run('data-quality');
    const unknown = records.filter((record) => record.input?.NAME_INCOME_TYPE === 'Self-employed');
    expect(unknown.length).toBeGreaterThan(50);
    for (const record of unknown) {
      expect(record.ts >= SHIFT_DAY).toBe(true);
      expect(record.status).toBe('invalid');
      expect(record.error!.issues).toContainEqual(
        expect.objectContaining({ path: 'NAME_INCOME_TYPE', code: 'unknown_category' }),
      );
    }
  });

  it('slows answers tenfold and bursts errors and fallbacks in the incident hour only', () => {
    const records = run('incident');
    const hour = records.filter(inIncidentHour);
    const rest = records.filter((record) => !inIncidentHour(record));
    const latency = (list: LogRecord[]) => median(answered(list).map((record) => record.latency_ms!.total));
    expect(latency(hour)).toBeGreaterThan(7 * latency(rest));
    expect(share(hour, (record) => record.status === 'error' || record.http_status === 503)).toBeGreaterThan(0.1);
    expect(share(rest, (record) => record.status === 'error')).toBeLessThan(0.01);
    const fallback = (record: LogRecord) => record.served_by === 'fallback' && record.degraded;
    expect(share(answered(hour), fallback)).toBeGreaterThan(0.3);
    expect(share(answered(rest), fallback)).toBeLessThan(0.02);
  });
});
