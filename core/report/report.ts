/** What a drift report holds, built once and rendered as HTML or JSON with the same content. */
import type { AnomalyAnalysis, DriftAnalysis, Severity } from '../analysis/index.ts';
import { driftToJson } from '../analysis/index.ts';
import type { ModelPackage } from '../contract/index.ts';
import type { PerformanceAnalysis } from '../analysis/performance/index.ts';

export const REPORT_FORMAT_VERSION = 1;

export interface ModelInfo {
  name: string;
  version: string;
  kind: string;
  threshold: number;
  createdAt: string | null;
  metrics: Record<string, number>;
  dataFingerprint: string | null;
  codeCommit: string | null;
}

export interface Report {
  title: string;
  generatedAt: number;
  /** Where the current records come from (a database file). */
  source: string;
  period: { from: number | null; to: number | null };
  drift: DriftAnalysis;
  anomalies: AnomalyAnalysis | null;
  model: ModelInfo | null;
  /** Realised and estimated performance of the period (absent: not computed). */
  performance?: PerformanceAnalysis | null;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : null;

export function modelInfo(pkg: ModelPackage): ModelInfo {
  const metrics: Record<string, number> = {};
  const raw = pkg.metadata.metrics;
  if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) if (typeof value === 'number') metrics[key] = value;
  }
  return {
    name: pkg.name,
    version: pkg.version,
    kind: pkg.kind,
    threshold: pkg.threshold,
    createdAt: text(pkg.mlmodel.utc_time_created),
    metrics,
    dataFingerprint: text(pkg.metadata.data_fingerprint),
    codeCommit: text(pkg.metadata.code_commit),
  };
}

export function severityCounts(anomalies: AnomalyAnalysis | null): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const f of anomalies?.findings ?? []) counts[f.severity] += 1;
  return counts;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const finite = (value: number) => (Number.isFinite(value) ? value : null);

/** The JSON form of a report: the same content as the HTML, for machines. */
export function renderReportJson(report: Report): string {
  const { drift, anomalies } = report;
  const document = {
    format_version: REPORT_FORMAT_VERSION,
    title: report.title,
    generated_at: iso(report.generatedAt),
    source: report.source,
    period: { from: iso(report.period.from), to: iso(report.period.to) },
    verdict: {
      dataset_drift: drift.datasetDrift,
      drift_share: drift.driftShare,
      drifted_fields: drift.driftedFields,
      prediction_drift: drift.prediction?.drifted ?? null,
      anomalies: severityCounts(anomalies),
    },
    model: report.model,
    drift: driftToJson(drift),
    anomalies: anomalies
      ? {
          window: anomalies.window,
          options: anomalies.options,
          windows: anomalies.windows.map((w) => ({
            start: iso(w.start),
            end: iso(w.end),
            requests: w.requests,
            ok: w.ok,
            errors: w.errors,
            invalid: w.invalid,
            rejected: w.rejected,
            degraded: w.degraded,
            latency_p50_ms: finite(w.latencyP50),
            latency_p95_ms: finite(w.latencyP95),
            latency_p99_ms: finite(w.latencyP99),
          })),
          findings: anomalies.findings.map((f) => ({
            start: iso(f.start),
            end: iso(f.end),
            metric: f.metric,
            severity: f.severity,
            observed: f.observed,
            baseline: f.baseline,
            baseline_kind: f.baselineKind,
            details: Object.fromEntries(Object.entries(f.details).map(([k, v]) => [k, finite(v)])),
            explanation: f.explanation,
          })),
        }
      : null,
    performance: report.performance ?? null,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
