/** Operational anomalies of the period, each judged against its own baseline (core/analysis). */
import type { AnomalyMetric } from '../../../core/analysis/index.ts';
import type { MethodInput, MethodOutput } from '../api/types.ts';
import type { Services } from '../services.ts';
import { effectiveRange } from './overview.ts';

const DAY = 86_400_000;
/** The detector compares an hour with the same hour of the seven days before, so it reads a week more than shown. */
const BASELINE_SPAN = 8 * DAY;

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

export async function anomalies(
  services: Services,
  input: MethodInput<'anomalies'>,
): Promise<MethodOutput<'anomalies'>> {
  const { from, to } = effectiveRange(services, input.range);
  const readFrom = Math.max(0, from - BASELINE_SPAN);
  const request = { dbPath: services.store.file, from: readFrom, to };
  const analysis = await services.memo('anomalies', request, () => {
    const running = services.analysis.anomalies(request);
    running.catch(() => services.forget('anomalies', request));
    return running;
  });
  const findings = analysis.findings
    .filter((finding) => finding.end > from && finding.start < to)
    .map((finding) => ({
      id: `${finding.metric}@${finding.start}`,
      metric: finding.metric,
      unit: UNIT[finding.metric],
      from: finding.start,
      to: finding.end,
      severity: finding.severity,
      value: finding.observed,
      baseline: finding.baseline,
      explanation: finding.explanation,
    }));
  return { range: { from, to }, windowMs: 3_600_000, findings };
}
