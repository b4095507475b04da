import { describe, expect, it } from 'vitest';
import { detectAnomalies, STATUS_CODES, type OperationalData } from '../../../core/analysis/index.ts';
import { binomialUpperTail } from '../../../core/analysis/stats/index.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 16);

interface Incident {
  day: number;
  hour: number;
  latencyFactor?: number;
  errorShare?: number;
  rejectedShare?: number;
  fallbackShare?: number;
  volumeFactor?: number;
}

/** Seven days of hourly traffic with a daily rhythm (quiet nights, busy afternoons) and optional incidents. */
function traffic(days: number, incidents: Incident[] = [], seed = 3, weekly = false): OperationalData {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const ts: number[] = [];
  const status: number[] = [];
  const latency: number[] = [];
  const degraded: number[] = [];
  for (let day = 0; day < days; day += 1) {
    for (let hour = 0; hour < 24; hour += 1) {
      const incident = incidents.find((i) => i.day === day && i.hour === hour);
      const rhythm = 0.3 + 0.7 * Math.sin((Math.PI * hour) / 24) ** 2;
      // 2026-11-16 is a Monday: days 5 and 6 of each week are the weekend, at about half the traffic.
      const weekend = weekly && day % 7 >= 5 ? 0.45 : 1;
      const count = Math.round(400 * rhythm * weekend * (0.9 + 0.2 * random()) * (incident?.volumeFactor ?? 1));
      for (let r = 0; r < count; r += 1) {
        ts.push(START + (day * 24 + hour) * HOUR + Math.floor((r / count) * HOUR));
        const u = random();
        const errorShare = incident?.errorShare ?? 0.002;
        const rejectedShare = incident?.rejectedShare ?? 0.001;
        status.push(
          u < errorShare
            ? STATUS_CODES.error
            : u < errorShare + rejectedShare
              ? STATUS_CODES.rejected
              : u < errorShare + rejectedShare + 0.01
                ? STATUS_CODES.invalid
                : STATUS_CODES.ok,
        );
        latency.push((2 + 3 * random() ** 3) * (incident?.latencyFactor ?? 1));
        degraded.push(random() < (incident?.fallbackShare ?? 0.001) ? 1 : 0);
      }
    }
  }
  return {
    count: ts.length,
    ts: Float64Array.from(ts),
    status: Uint8Array.from(status),
    latencyMs: Float64Array.from(latency),
    degraded: Uint8Array.from(degraded),
  };
}

const range = { from: START, to: START + 7 * 24 * HOUR };

describe('operational anomalies', () => {
  it('raises no warning or critical finding on steady traffic with a daily rhythm', () => {
    const result = detectAnomalies(traffic(7), {}, range);
    expect(result.windows).toHaveLength(7 * 24);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('finds an incident hour in latency, errors, rejections and fallbacks, at that hour only', () => {
    const incident = { day: 3, hour: 14, latencyFactor: 10, errorShare: 0.12, rejectedShare: 0.08, fallbackShare: 0.3 };
    const result = detectAnomalies(traffic(7, [incident]), {}, range);
    const serious = result.findings.filter((f) => f.severity !== 'info');
    const start = START + (3 * 24 + 14) * HOUR;
    expect(new Set(serious.map((f) => f.start))).toEqual(new Set([start]));
    expect(new Set(serious.map((f) => f.metric))).toEqual(
      new Set(['latency_p50', 'latency_p95', 'latency_p99', 'error_rate', 'rejected_rate', 'fallback_rate']),
    );
    const errors = serious.find((f) => f.metric === 'error_rate')!;
    expect(errors.severity).toBe('critical');
    expect(errors.baselineKind).toBe('trailing');
    expect(serious.find((f) => f.metric === 'latency_p95')!.baselineKind).toBe('same-hour');
    expect(errors.details.p_value).toBeLessThan(1e-8);
    expect(errors.explanation).toMatch(
      /^Error rate \(5xx\) was \d+\.\d % \(\d+ of \d+ requests\) in 2026-11-19 14:00–15:00 UTC/,
    );
  });

  it('compares a busy afternoon hour with the same hour of previous days, not with the quiet night before it', () => {
    const result = detectAnomalies(traffic(7), {}, range);
    expect(result.findings.filter((f) => f.metric === 'volume')).toEqual([]);
  });

  it('takes quiet weekends in its stride over three weeks of traffic', () => {
    const result = detectAnomalies(traffic(21, [], 5, true), {}, { from: START, to: START + 21 * 24 * HOUR });
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const lastSunday = result.windows.findIndex((w) => w.start === START + (20 * 24 + 15) * HOUR);
    expect(lastSunday).toBeGreaterThan(0);
  });

  it('uses the records before the period as history and shows only the period', () => {
    const incident = { day: 5, hour: 14, latencyFactor: 10 };
    const from = START + 5 * 24 * HOUR;
    const result = detectAnomalies(traffic(7, [incident]), {}, { from, to: START + 7 * 24 * HOUR });
    expect(result.windows).toHaveLength(48);
    expect(result.windows[0]!.start).toBe(from);
    const latency = result.findings.find((f) => f.metric === 'latency_p95')!;
    expect(latency).toMatchObject({ start: from + 14 * HOUR, baselineKind: 'same-hour' });
  });

  it('flags a traffic drop and an outage hour', () => {
    const result = detectAnomalies(traffic(7, [{ day: 5, hour: 15, volumeFactor: 0.2 }]), {}, range);
    const drop = result.findings.find((f) => f.metric === 'volume');
    expect(drop).toMatchObject({ severity: 'warning', start: START + (5 * 24 + 15) * HOUR });
    expect(drop!.explanation).toMatch(/^Traffic dropped to \d+ requests/);
    const outage = detectAnomalies(traffic(7, [{ day: 5, hour: 15, volumeFactor: 0 }]), {}, range);
    expect(outage.findings.find((f) => f.metric === 'volume')).toMatchObject({ severity: 'critical', observed: 0 });
  });

  it('judges the first windows against the trailing ones when there are no previous days', () => {
    const result = detectAnomalies(traffic(1, [{ day: 0, hour: 10, errorShare: 0.2 }]), {}, range);
    const finding = result.findings.find((f) => f.metric === 'error_rate' && f.severity === 'critical');
    expect(finding?.baselineKind).toBe('trailing');
  });
});

describe('binomial upper tail', () => {
  it.each([
    [5, 100, 0.01, 0.0034323215877545207],
    [30, 1000, 0.02, 0.02069651867323949],
    [130, 1000, 0.1, 0.0013413983708734428],
    [1, 10, 0.3, 0.9717524751],
    [60, 300, 0.05, 4.449452158475324e-20],
  ])('Pr(X >= %i) for Binomial(%i, %f) matches scipy.stats.binom.sf', (k, n, p, expected) => {
    expect(Math.abs(binomialUpperTail(k, n, p) - expected)).toBeLessThanOrEqual(1e-9 * expected);
  });
});
