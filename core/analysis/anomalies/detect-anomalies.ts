/**
 * Operational anomalies: each window's latency quantiles, volume and rates judged against their own baseline.
 * The baseline is the same hour on previous days when there are enough of them (traffic has a daily rhythm), else
 * the trailing windows. Latency and volume use the median and MAD; rates use a one-sided binomial test against the
 * pooled baseline rate.
 */
import type { OperationalData, TimeRange } from '../source.ts';
import { binomialUpperTail } from '../stats/index.ts';
import type { WindowSize } from '../drift/windows.ts';
import { operationalWindows, type OperationalWindow } from './operational-windows.ts';
import { groupIncidents, impactSeverity, type Incident } from './incidents.ts';
import { median, scaledMad } from './robust.ts';

export const ANOMALY_METRICS = [
  'latency_p50',
  'latency_p95',
  'latency_p99',
  'volume',
  'error_rate',
  'invalid_rate',
  'rejected_rate',
  'fallback_rate',
] as const;
export type AnomalyMetric = (typeof ANOMALY_METRICS)[number];
export type Severity = 'info' | 'warning' | 'critical';
/** Same hour and weekday of previous weeks, same hour of previous days, or the windows just before. */
export type BaselineKind = 'same-weekday-hour' | 'same-hour' | 'trailing';

export interface Finding {
  start: number;
  end: number;
  metric: AnomalyMetric;
  severity: Severity;
  observed: number;
  baseline: number;
  /** The numbers behind the judgement (z-score, MAD, counts, p-value…). */
  details: Record<string, number>;
  baselineKind: BaselineKind;
  explanation: string;
}

export interface AnomalyOptions {
  /** @default 'hour' */
  window: WindowSize;
  /** Previous days of the same hour that make a seasonal baseline. @default 7 */
  seasonalDays: number;
  /** Windows before the current one that make the baseline when the seasonal one is too short. @default 24 */
  trailingWindows: number;
  /** Fewest baseline windows to judge a window at all. @default 3 */
  minBaselineWindows: number;
  /** Robust z-scores for a warning and for a critical finding. @default 4 and 8 */
  zWarning: number;
  zCritical: number;
  /** Binomial p-values for a warning and for a critical finding. @default 1e-4 and 1e-8 */
  pWarning: number;
  pCritical: number;
}

export const DEFAULT_ANOMALY_OPTIONS: Readonly<AnomalyOptions> = Object.freeze({
  window: 'hour',
  seasonalDays: 7,
  trailingWindows: 24,
  minBaselineWindows: 3,
  zWarning: 4,
  zCritical: 8,
  pWarning: 1e-4,
  pCritical: 1e-8,
});

export interface AnomalyAnalysis {
  window: WindowSize;
  windows: OperationalWindow[];
  /** Severity from impact (incidents.ts impactSeverity); rates of windows too small to mean anything left out. */
  findings: Finding[];
  /** The findings of neighbouring windows grouped, newest first. */
  incidents: Incident[];
  options: AnomalyOptions;
}

const DAY = 86_400_000;
const MIN_LATENCY_COUNT: Record<string, number> = { latency_p50: 5, latency_p95: 20, latency_p99: 50 };

const WEEK = 7 * DAY;
const MAX_WEEKS = 4;

function baselineOf(
  windows: OperationalWindow[],
  index: number,
  options: AnomalyOptions,
  byStart: Map<number, number>,
): { windows: OperationalWindow[]; kind: BaselineKind } | null {
  const current = windows[index]!;
  const earlier = (step: number, count: number) => {
    const found: OperationalWindow[] = [];
    for (let d = 1; d <= count; d += 1) {
      const j = byStart.get(current.start - d * step);
      if (j !== undefined && windows[j]!.requests > 0) found.push(windows[j]!);
    }
    return found;
  };
  if (options.window === 'hour') {
    // Traffic has a weekly rhythm too (quiet weekends): with two weeks of history, compare like with like.
    const weekly = earlier(WEEK, MAX_WEEKS);
    if (weekly.length >= 2) return { windows: weekly, kind: 'same-weekday-hour' };
    const seasonal = earlier(DAY, options.seasonalDays);
    if (seasonal.length >= options.minBaselineWindows) return { windows: seasonal, kind: 'same-hour' };
  }
  const trailing = windows.slice(Math.max(0, index - options.trailingWindows), index).filter((w) => w.requests > 0);
  return trailing.length >= options.minBaselineWindows ? { windows: trailing, kind: 'trailing' } : null;
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)} %`;
const num = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });

function period(w: OperationalWindow, size: WindowSize): string {
  const start = new Date(w.start).toISOString();
  if (size === 'hour')
    return `${start.slice(0, 10)} ${start.slice(11, 16)}–${new Date(w.end).toISOString().slice(11, 16)} UTC`;
  return size === 'day' ? `${start.slice(0, 10)} (UTC day)` : `the week of ${start.slice(0, 10)}`;
}

function baselineWords(kind: BaselineKind, n: number): string {
  if (kind === 'same-weekday-hour') return `the same hour and weekday of the previous ${n} weeks`;
  return kind === 'same-hour' ? `the same hour on the previous ${n} days` : `the previous ${n} windows`;
}

const LATENCY_FIELD = { latency_p50: 'latencyP50', latency_p95: 'latencyP95', latency_p99: 'latencyP99' } as const;
const RATES = {
  error_rate: { events: 'errors', trials: 'requests', words: 'Error rate (5xx)', unit: 'requests' },
  invalid_rate: { events: 'invalid', trials: 'requests', words: 'Invalid-request rate (4xx)', unit: 'requests' },
  rejected_rate: {
    events: 'rejected',
    trials: 'requests',
    words: 'Rejected rate (auth, rate limit, shedding)',
    unit: 'requests',
  },
  fallback_rate: { events: 'degraded', trials: 'ok', words: 'Fallback (degraded) rate', unit: 'answers' },
} as const;

/**
 * Judges each window of the operational data. `range` is the period of interest: windows cut by its ends are not
 * judged on volume, and records before `range.from` (read for the baselines' sake) only serve as history.
 */
export function detectAnomalies(
  data: OperationalData,
  partial: Partial<AnomalyOptions> = {},
  range: TimeRange = {},
): AnomalyAnalysis {
  const options: AnomalyOptions = { ...DEFAULT_ANOMALY_OPTIONS, ...partial };
  const windows = operationalWindows(data, options.window);
  const byStart = new Map(windows.map((w, i) => [w.start, i]));
  const findings: Finding[] = [];
  windows.forEach((w, index) => {
    const base = baselineOf(windows, index, options, byStart);
    if (!base) return;
    const where = period(w, options.window);
    const against = baselineWords(base.kind, base.windows.length);
    const push = (f: Omit<Finding, 'start' | 'end' | 'baselineKind'>) =>
      findings.push({ start: w.start, end: w.end, baselineKind: base.kind, ...f });

    for (const metric of ['latency_p50', 'latency_p95', 'latency_p99'] as const) {
      if (w.latencyCount < MIN_LATENCY_COUNT[metric]!) continue;
      const observed = w[LATENCY_FIELD[metric]];
      const values = base.windows.map((b) => b[LATENCY_FIELD[metric]]);
      const m = median(values);
      if (Number.isNaN(m)) continue;
      const mad = scaledMad(values, m);
      const scale = Math.max(mad, 0.05 * m, 0.05);
      const z = (observed - m) / scale;
      const ratio = observed / m;
      const severity: Severity | null =
        z >= options.zCritical && ratio >= 2
          ? 'critical'
          : z >= options.zWarning && ratio >= 1.5
            ? 'warning'
            : z >= 3 && ratio >= 1.25
              ? 'info'
              : null;
      if (!severity) continue;
      push({
        metric,
        severity,
        observed,
        baseline: m,
        details: { z, mad, ratio, requests_with_latency: w.latencyCount, baseline_windows: base.windows.length },
        explanation: `${metric.replace('latency_', 'Latency ')} was ${num(observed)} ms in ${where}, ${ratio.toFixed(1)} times the median ${num(m)} ms of ${against} (robust z = ${z.toFixed(1)}).`,
      });
    }

    const edgeIncomplete =
      (index === 0 && (range.from === undefined || range.from > w.start)) ||
      (index === windows.length - 1 && (range.to === undefined || range.to < w.end));
    // Hourly volume follows the daily rhythm: only the same hour on previous days is a fair baseline for it.
    const rhythmAware = options.window !== 'hour' || base.kind !== 'trailing';
    if (!edgeIncomplete && rhythmAware) {
      const values = base.windows.map((b) => b.requests);
      const m = median(values);
      const mad = scaledMad(values, m);
      const scale = Math.max(mad, Math.sqrt(m), 0.05 * m, 1);
      const z = (w.requests - m) / scale;
      const ratio = m > 0 ? w.requests / m : Number.POSITIVE_INFINITY;
      let severity: Severity | null = null;
      if (z >= options.zCritical && ratio >= 3) severity = 'critical';
      else if (z >= options.zWarning && ratio >= 1.5) severity = 'warning';
      else if (w.requests === 0 && m >= 10) severity = 'critical';
      // Weekends run at about half the weekday traffic: only a deeper drop is a finding.
      else if (z <= -options.zWarning && ratio <= 0.35) severity = 'warning';
      if (severity) {
        const direction = w.requests > m ? 'surged to' : 'dropped to';
        push({
          metric: 'volume',
          severity,
          observed: w.requests,
          baseline: m,
          details: { z, mad, ratio, baseline_windows: base.windows.length },
          explanation: `Traffic ${direction} ${num(w.requests)} requests in ${where}, against a median of ${num(m)} over ${against} (robust z = ${z.toFixed(1)}).`,
        });
      }
    }

    // Rates do not follow the daily rhythm the way volume does: the trailing windows give a larger baseline.
    const rateBase = baselineOf(windows, index, { ...options, window: 'day' }, byStart) ?? base;
    const rateAgainst = baselineWords(rateBase.kind, rateBase.windows.length);
    for (const [metric, spec] of Object.entries(RATES) as Array<
      [keyof typeof RATES, (typeof RATES)[keyof typeof RATES]]
    >) {
      const n = w[spec.trials];
      if (n === 0) continue;
      const k = w[spec.events];
      const baseEvents = rateBase.windows.reduce((a, b) => a + b[spec.events], 0);
      const baseTrials = rateBase.windows.reduce((a, b) => a + b[spec.trials], 0);
      // Laplace's rule keeps a spotless baseline from making one event look impossible.
      const p0 = (baseEvents + 1) / (baseTrials + 2);
      const rate = k / n;
      const pValue = binomialUpperTail(k, n, p0);
      const excess = rate - p0;
      // Real rates vary more from hour to hour than a binomial allows (bursts): the rate must also stand out from
      // the baseline windows' own rates.
      const rates = rateBase.windows.filter((b) => b[spec.trials] > 0).map((b) => b[spec.events] / b[spec.trials]);
      const rateMedian = median(rates);
      const spread = Math.max(scaledMad(rates, rateMedian), Math.sqrt((p0 * (1 - p0)) / n));
      const z = (rate - rateMedian) / spread;
      let severity: Severity | null = null;
      // A handful of events in a quiet hour is not an incident, whatever its p-value.
      if (pValue < options.pCritical && z >= options.zCritical && rate >= 5 * p0 && excess >= 0.02 && k >= 20) {
        severity = 'critical';
      } else if (pValue < options.pWarning && z >= options.zWarning && rate >= 2 * p0 && excess >= 0.005 && k >= 10) {
        severity = 'warning';
      } else if (pValue < 1e-3 && z >= 3 && rate >= 1.5 * p0 && excess >= 0.002) severity = 'info';
      if (!severity) continue;
      findings.push({
        start: w.start,
        end: w.end,
        baselineKind: rateBase.kind,
        metric,
        severity,
        observed: rate,
        baseline: p0,
        details: { events: k, trials: n, p_value: pValue, z, baseline_events: baseEvents, baseline_trials: baseTrials },
        explanation: `${spec.words} was ${pct(rate)} (${num(k)} of ${num(n)} ${spec.unit}) in ${where}, against ${pct(p0)} over ${rateAgainst} (binomial test p = ${pValue.toExponential(1)}).`,
      });
    }
  });
  const judged = findings.flatMap((f) => {
    const severity = impactSeverity(f);
    return severity ? [{ ...f, severity }] : [];
  });
  const windowMs = windows.length ? windows[0]!.end - windows[0]!.start : 3_600_000;
  // Records before `range.from` are history for the baselines only: the windows and findings shown start at it.
  const from = range.from;
  const shown = from === undefined ? judged : judged.filter((f) => f.end > from);
  return {
    window: options.window,
    windows: from === undefined ? windows : windows.filter((w) => w.end > from),
    findings: shown,
    incidents: groupIncidents(shown, windowMs),
    options,
  };
}
