import { describe, expect, it } from 'vitest';
import type { OperationalWindow } from '../../../core/analysis/anomalies/index.ts';
import { DEFAULT_ALERT_SETTINGS, evaluateRules } from '../../../core/alerts/index.ts';

const HOUR = 3_600_000;
const T = Date.parse('2026-11-08T00:00:00Z');

function hour(i: number, requests: number, errors: number): OperationalWindow {
  return {
    start: T + i * HOUR,
    end: T + (i + 1) * HOUR,
    requests,
    ok: requests - errors,
    errors,
    invalid: 0,
    rejected: 0,
    degraded: 0,
    latencyP50: 2,
    latencyP95: 4,
    latencyP99: 6,
    latencyCount: requests,
  };
}

const run = (operations: OperationalWindow[], drift: Parameters<typeof evaluateRules>[0]['drift'] = null) =>
  evaluateRules({ settings: DEFAULT_ALERT_SETTINGS, performance: null, operations, drift });

describe('alert rules', () => {
  it('judges an hour error rate against the warning and critical thresholds', () => {
    const findings = run([hour(0, 1000, 10), hour(1, 1000, 30), hour(2, 1000, 80)]);
    expect(findings.map((f) => [f.periodStart, f.severity])).toEqual([
      [T + HOUR, 'warning'],
      [T + 2 * HOUR, 'critical'],
    ]);
    expect(findings[0]!.message).toMatch(/3\.0 % of the 1000 requests/);
  });

  it('leaves quiet hours unjudged: one failure in a night hour is no incident', () => {
    expect(run([hour(0, 40, 2)])).toEqual([]);
  });

  it('recommends retraining when drift rules fire three days in a row, with the reasons', () => {
    const day = (d: number, share: number) => ({
      start: T + d * 24 * HOUR,
      end: T + (d + 1) * 24 * HOUR,
      driftShare: share,
      fields: [],
    });
    const two = run([], [day(0, 0.6), day(1, 0.6), day(2, 0.1)]);
    expect(two.find((f) => f.rule === 'retraining_recommended')).toBeUndefined();
    const three = run([], [day(0, 0.6), day(1, 0.6), day(2, 0.4)]);
    const retrain = three.find((f) => f.rule === 'retraining_recommended');
    expect(retrain).toMatchObject({ severity: 'critical', periodStart: T, value: 3 });
    expect(retrain!.reasons).toHaveLength(3);
  });
});
