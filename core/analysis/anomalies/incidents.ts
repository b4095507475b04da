/**
 * Findings grouped into incidents: the findings of neighbouring windows (at most one quiet window between them) are
 * one incident with a start, an end and what moved. An incident's severity comes from its impact — how many requests
 * it hurt and by how much — not from how surprising a statistic is: an 8 % error rate, 29 times its baseline, is
 * critical; a p99 of 4.5 ms against 3.5 ms is at most information.
 */
import type { AnomalyMetric, Finding, Severity } from './detect-anomalies.ts';

/** The metrics in words, for people. */
export const METRIC_LABELS: Readonly<Record<AnomalyMetric, string>> = {
  latency_p50: 'Median latency',
  latency_p95: 'Latency p95',
  latency_p99: 'Latency p99',
  volume: 'Traffic volume',
  error_rate: 'Error rate',
  invalid_rate: 'Invalid-request rate',
  rejected_rate: 'Rejected-request rate',
  fallback_rate: 'Fallback rate',
};

/** Fewest requests (or answers) in a window before its rate may alarm: 3 of 4 requests is not an incident. */
export const MIN_RATE_TRIALS = 30;

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * The severity a finding's impact deserves, or null when the window is too small for its rate to mean anything.
 * Rates: extra share of requests hit and ratio to the baseline; latency: ratio and milliseconds added.
 */
export function impactSeverity(finding: Finding): Severity | null {
  const ratio = finding.baseline > 0 ? finding.observed / finding.baseline : Number.POSITIVE_INFINITY;
  if (finding.metric.endsWith('_rate')) {
    const trials = finding.details.trials ?? 0;
    if (trials < MIN_RATE_TRIALS) return null;
    const excess = finding.observed - finding.baseline;
    // A few events are chance, whatever the rate: the detector's own minimums (20 for critical, 10 for a warning).
    const events = finding.details.events ?? 0;
    if (excess >= 0.05 && ratio >= 10 && events >= 20) return 'critical';
    if (excess >= 0.01 && ratio >= 3 && events >= 10) {
      return RANK[finding.severity] >= RANK.warning ? finding.severity : 'warning';
    }
    return finding.severity;
  }
  if (finding.metric.startsWith('latency_')) {
    const added = finding.observed - finding.baseline;
    // A few milliseconds more on a fast API hurts nobody, however many MADs it is.
    if (added < 5 && ratio < 2) return 'info';
    if (added >= 500 && ratio >= 3) return 'critical';
    return finding.severity;
  }
  return finding.severity;
}

export interface IncidentMove {
  metric: AnomalyMetric;
  label: string;
  /** The worst window's value and its baseline. */
  observed: number;
  baseline: number;
  severity: Severity;
}

export interface Incident {
  start: number;
  end: number;
  severity: Severity;
  /** What moved, worst first. */
  moved: IncidentMove[];
  findings: Finding[];
  /** One sentence: when, how bad, what moved. */
  summary: string;
}

function worse(a: Finding, b: Finding): Finding {
  if (RANK[b.severity] !== RANK[a.severity]) return RANK[b.severity] > RANK[a.severity] ? b : a;
  const ra = a.baseline > 0 ? a.observed / a.baseline : Infinity;
  const rb = b.baseline > 0 ? b.observed / b.baseline : Infinity;
  return rb > ra ? b : a;
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function shown(move: IncidentMove): string {
  if (move.metric.endsWith('_rate')) {
    return `${move.label} ${(move.observed * 100).toFixed(1)} % (baseline ${(move.baseline * 100).toFixed(2)} %)`;
  }
  if (move.metric === 'volume')
    return `${move.label} ${Math.round(move.observed)} (baseline ${Math.round(move.baseline)})`;
  return `${move.label} ${move.observed.toFixed(1)} ms (baseline ${move.baseline.toFixed(1)} ms)`;
}

/** Groups findings (any order) into incidents, newest first; `windowMs`: the windows' length. */
export function groupIncidents(findings: readonly Finding[], windowMs: number): Incident[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start);
  const groups: Finding[][] = [];
  for (const finding of sorted) {
    const last = groups[groups.length - 1];
    const lastEnd = last ? Math.max(...last.map((f) => f.end)) : -Infinity;
    if (last && finding.start <= lastEnd + windowMs) last.push(finding);
    else groups.push([finding]);
  }
  return groups
    .map((group) => {
      const byMetric = new Map<AnomalyMetric, Finding>();
      for (const f of group) byMetric.set(f.metric, byMetric.has(f.metric) ? worse(byMetric.get(f.metric)!, f) : f);
      const moved = [...byMetric.values()]
        .map((f) => ({
          metric: f.metric,
          label: METRIC_LABELS[f.metric],
          observed: f.observed,
          baseline: f.baseline,
          severity: f.severity,
        }))
        .sort((a, b) => RANK[b.severity] - RANK[a.severity] || a.label.localeCompare(b.label));
      const severity = moved[0]!.severity;
      const start = Math.min(...group.map((f) => f.start));
      const end = Math.max(...group.map((f) => f.end));
      const summary = `${severity === 'critical' ? 'Critical' : severity === 'warning' ? 'Warning' : 'Note'}: ${iso(start)} to ${iso(end)}: ${moved.map(shown).join('; ')}.`;
      return { start, end, severity, moved, findings: group, summary };
    })
    .reverse();
}
