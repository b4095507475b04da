/**
 * The machine-readable form of a drift analysis (`vigie drift --json`, the JSON report): snake_case keys, method
 * keys psi, ks, wasserstein, chi2, jensen_shannon, `p_value` null for the distances, times as ISO 8601.
 */
import { firstDriftedWindows, type DriftAnalysis, type WindowField } from './analyze-drift.ts';
import type { FieldDrift, MethodResults } from './field-drift.ts';

export const DRIFT_JSON_FORMAT_VERSION = 1;

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function methodsJson(methods: MethodResults) {
  return Object.fromEntries(
    Object.entries(methods).map(([name, r]) => [
      name,
      { statistic: finite(r.statistic), p_value: r.pValue, threshold: r.threshold, drifted: r.drifted },
    ]),
  );
}

function qualityJson(field: FieldDrift) {
  const q = field.quality;
  return {
    reference_missing_rate: q.referenceMissingRate,
    current_missing_rate: q.currentMissingRate,
    missing_rate_change: q.missingRateChange,
    out_of_range_count: q.outOfRangeCount,
    out_of_range_share: q.outOfRangeShare,
    unseen_categories: q.unseenCategories,
  };
}

function fieldJson(field: FieldDrift, firstDrifted: number | undefined) {
  return {
    kind: field.kind,
    drifted: field.drifted,
    decided_by: field.decidedBy,
    first_drifted_window: iso(firstDrifted ?? null),
    reference_count: field.referenceCount,
    current_count: field.currentCount,
    current_missing: field.currentMissing,
    note: field.note,
    methods: methodsJson(field.methods),
    data_quality: qualityJson(field),
    distribution: field.distribution,
  };
}

function windowFieldJson(field: WindowField) {
  return {
    drifted: field.drifted,
    count: field.count,
    missing_rate: field.missingRate,
    methods: Object.fromEntries(
      Object.entries(field.methods).map(([name, r]) => [
        name,
        { statistic: finite(r.statistic), p_value: r.pValue, drifted: r.drifted },
      ]),
    ),
  };
}

/** What a stored-period analysis adds (core/analysis/stored-period). */
interface StoredPeriodParts {
  populations?: { drift: { statuses: string[]; records: number }; quality: { statuses: string[]; records: number } };
  predictionByServedBy?: Array<{ servedBy: string; records: number; prediction: FieldDrift }>;
}

export function driftToJson(analysis: DriftAnalysis & StoredPeriodParts) {
  const firstDrifted = firstDriftedWindows(analysis);
  return {
    format_version: DRIFT_JSON_FORMAT_VERSION,
    columns: Object.fromEntries(analysis.fields.map((f) => [f.name, methodsJson(f.methods)])),
    drift_share: analysis.driftShare,
    dataset_drift: analysis.datasetDrift,
    drifted_columns: analysis.driftedFields,
    prediction: analysis.prediction ? methodsJson(analysis.prediction.methods) : null,
    prediction_drifted: analysis.prediction?.drifted ?? null,
    prediction_decided_by: analysis.prediction?.decidedBy ?? null,
    ...(analysis.populations ? { populations: analysis.populations } : {}),
    ...(analysis.predictionByServedBy
      ? {
          prediction_by_served_by: analysis.predictionByServedBy.map((p) => ({
            served_by: p.servedBy,
            records: p.records,
            drifted: p.prediction.drifted,
            decided_by: p.prediction.decidedBy,
            methods: methodsJson(p.prediction.methods),
          })),
        }
      : {}),
    reference: analysis.reference,
    current: { rows: analysis.current.rows, from: iso(analysis.current.from), to: iso(analysis.current.to) },
    settings: {
      number_methods: analysis.config.numberMethods,
      category_methods: analysis.config.categoryMethods,
      thresholds: analysis.config.thresholds,
      vote: analysis.config.vote,
      dataset_drift_share: analysis.config.datasetDriftShare,
    },
    fields: Object.fromEntries(analysis.fields.map((f) => [f.name, fieldJson(f, firstDrifted.get(f.name))])),
    data_quality: Object.fromEntries(analysis.fields.map((f) => [f.name, qualityJson(f)])),
    window: analysis.window,
    windows: analysis.windows.map((w) => ({
      start: iso(w.start),
      end: iso(w.end),
      count: w.count,
      drift_share: w.driftShare,
      dataset_drift: w.datasetDrift,
      columns: Object.fromEntries(Object.entries(w.fields).map(([name, f]) => [name, windowFieldJson(f)])),
      prediction: w.prediction ? windowFieldJson(w.prediction) : null,
    })),
  };
}
