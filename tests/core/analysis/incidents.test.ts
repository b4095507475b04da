import { describe, expect, it } from 'vitest';
import { groupIncidents, impactSeverity, type Finding } from '../../../core/analysis/index.ts';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 11, 3, 14);

function finding(metric: Finding['metric'], hour: number, observed: number, baseline: number, extra = {}): Finding {
  return {
    start: T + hour * HOUR,
    end: T + (hour + 1) * HOUR,
    metric,
    severity: 'info',
    observed,
    baseline,
    details: { trials: 1000, events: Math.round(observed * 1000), ...extra },
    baselineKind: 'same-hour',
    explanation: '',
  };
}

describe('incidents', () => {
  it('rates an 8 % error rate at 29 times its baseline critical and a p99 of 4.5 ms against 3.5 ms as a note', () => {
    expect(impactSeverity(finding('error_rate', 0, 0.08, 0.08 / 29))).toBe('critical');
    expect(impactSeverity(finding('latency_p99', 0, 4.5, 3.5))).toBe('info');
  });

  it('lets no rate alarm on a handful of requests', () => {
    expect(impactSeverity(finding('error_rate', 0, 0.75, 0.01, { trials: 4 }))).toBeNull();
  });

  it('groups the findings of neighbouring hours into one incident that says when and what moved', () => {
    const incidents = groupIncidents(
      [
        { ...finding('latency_p95', 0, 900, 40), severity: 'critical' },
        { ...finding('fallback_rate', 1, 0.5, 0.01), severity: 'critical' },
        { ...finding('error_rate', 2, 0.08, 0.003), severity: 'warning' },
        finding('volume', 30, 10, 100),
      ],
      HOUR,
    );
    expect(incidents).toHaveLength(2);
    const [later, incident] = incidents;
    expect(later!.moved.map((m) => m.label)).toEqual(['Traffic volume']);
    expect(incident!.start).toBe(T);
    expect(incident!.end).toBe(T + 3 * HOUR);
    expect(incident!.severity).toBe('critical');
    expect(incident!.moved.map((m) => m.label)).toEqual(['Fallback rate', 'Latency p95', 'Error rate']);
    expect(incident!.summary).toMatch(/^Critical: 2026-12-03 14:00 UTC to 2026-12-03 17:00 UTC: Fallback rate 50\.0 %/);
  });
});
