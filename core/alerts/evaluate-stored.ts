/**
 * Every rule over a stored period: the one orchestration `vigie check`, the imports' alert hook and the console
 * share. Drift comes through a probe the shell supplies (the stored-period drift analysis lives in one place there).
 */
import { operationalWindows } from '../analysis/anomalies/index.ts';
import {
  PerformanceInputError,
  storedPerformance,
  type PerformanceAnalysis,
  type PerformanceSource,
  type ValidationMetrics,
} from '../analysis/performance/index.ts';
import type { RecordSource } from '../analysis/source.ts';
import { evaluateRules, type AlertFinding, type DriftWindowFigures } from './evaluate.ts';
import type { AlertSettings } from './rules.ts';

export type DriftProbe = (from: number, to: number) => Promise<DriftWindowFigures[] | null>;

export interface StoredAlertSources {
  performance: PerformanceSource;
  records: RecordSource;
  drift: DriftProbe | null;
  validation: ValidationMetrics | null;
}

export interface StoredEvaluation {
  from: number;
  to: number;
  findings: AlertFinding[];
  performance: PerformanceAnalysis | null;
  /** False when no drift probe ran or it had no reference. */
  driftEvaluated: boolean;
}

export async function evaluateStoredPeriod(
  sources: StoredAlertSources,
  settings: AlertSettings,
  range: { from?: number; to?: number } = {},
): Promise<StoredEvaluation | null> {
  const bounds = sources.records.timeBounds();
  if (!bounds) return null;
  const from = range.from ?? bounds.from;
  const to = range.to ?? bounds.to + 1;
  let performance: PerformanceAnalysis | null = null;
  try {
    performance = storedPerformance(sources.performance, { from, to, validation: sources.validation });
  } catch (error) {
    if (!(error instanceof PerformanceInputError)) throw error;
  }
  const operations = operationalWindows(sources.records.readOperational({ from, to }), 'hour');
  const drift = sources.drift ? await sources.drift(from, to) : null;
  const findings = evaluateRules({ settings, performance, operations, drift });
  return { from, to, findings, performance, driftEvaluated: drift !== null };
}
