/** Operational anomalies of the period, each judged against its own baseline (core/analysis). */
import {
  groupIncidents,
  METRIC_LABELS,
  type AnomalyAnalysis,
  type AnomalyMetric,
} from '../../../core/analysis/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';
import { effectiveRange } from './overview.ts';

/** Values as people read them: rates become shares, latencies stay in ms. */
const UNIT: Record<AnomalyMetric, 'ms' | 'share' | 'requests'> = {
  latency_p50: 'ms',
  latency_p95: 'ms',
  latency_p99: 'ms',
  volume: 'requests',
  error_rate: 'share',
  invalid_rate: 'share',
  rejected_rate: 'share',
  fallback_rate: 'share',
};

/**
 * Anomalies of every stored hour, computed once per store version. An hour's verdict depends only on the hours
 * before it, so any period's findings are this analysis's findings in that period: a range change costs nothing.
 */
export function storeAnomalies(services: Services): Promise<AnomalyAnalysis> {
  const bounds = services.bounds();
  if (!bounds) throw new ConsoleError('STORE_EMPTY');
  const request = { dbPath: services.store.file, from: bounds.from, to: bounds.to + 1 };
  return services.memo('anomalies', request, () => {
    const running = services.analysis.anomalies(request);
    running.catch(() => services.forget('anomalies', request));
    return running;
  });
}

/** The part of the store's anomaly analysis that falls in [from, to), as the report embeds it. */
export function anomaliesWithin(analysis: AnomalyAnalysis, from: number, to: number): AnomalyAnalysis {
  return {
    ...analysis,
    windows: analysis.windows.filter((w) => w.end > from && w.start < to),
    findings: analysis.findings.filter((f) => f.end > from && f.start < to),
    incidents: groupIncidents(
      analysis.findings.filter((f) => f.end > from && f.start < to),
      3_600_000,
    ),
  };
}

export async function anomalies(
  services: Services,
  input: MethodInput<'anomalies'>,
): Promise<MethodOutput<'anomalies'>> {
  const { from, to } = effectiveRange(services, input.range);
  const analysis = await storeAnomalies(services);
  const within = analysis.findings.filter((finding) => finding.end > from && finding.start < to);
  const findings = within.map((finding) => ({
    id: `${finding.metric}@${finding.start}`,
    metric: finding.metric,
    label: METRIC_LABELS[finding.metric],
    unit: UNIT[finding.metric],
    from: finding.start,
    to: finding.end,
    severity: finding.severity,
    value: finding.observed,
    baseline: finding.baseline,
    explanation: finding.explanation,
  }));
  const incidents = groupIncidents(within, 3_600_000).map((incident) => ({
    from: incident.start,
    to: incident.end,
    severity: incident.severity,
    summary: incident.summary,
    moved: incident.moved.map((m) => ({
      metric: m.metric,
      label: m.label,
      value: m.observed,
      baseline: m.baseline,
      severity: m.severity,
    })),
    findingIds: incident.findings.map((f) => `${f.metric}@${f.start}`),
  }));
  return { range: { from, to }, windowMs: 3_600_000, findings, incidents };
}
