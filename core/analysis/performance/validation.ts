/** The model package's validation metrics (metrics.json, written by the training pipeline), shown beside production. */

export interface ValidationMetrics {
  model: string;
  rows: number;
  rocAuc: number;
  brier: number | null;
  ece: number | null;
  threshold: number | null;
  precision: number | null;
  recall: number | null;
  approvalRate: number | null;
  costPerApplicant: number | null;
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/** Reads the validation block of a package's metrics.json; null when it holds no validation ROC AUC. */
export function validationMetrics(metrics: unknown, model: string): ValidationMetrics | null {
  const validation = obj(obj(metrics).validation);
  const rocAuc = num(validation.roc_auc);
  if (rocAuc === null) return null;
  const atThreshold = obj(validation.at_threshold);
  return {
    model,
    rows: num(validation.rows) ?? 0,
    rocAuc,
    brier: num(validation.brier),
    ece: num(obj(validation.calibration).expected_calibration_error),
    threshold: num(atThreshold.threshold) ?? num(obj(obj(metrics).threshold).threshold),
    precision: num(atThreshold.precision),
    recall: num(atThreshold.recall),
    approvalRate: num(atThreshold.approval_rate),
    costPerApplicant: num(obj(atThreshold.business_cost).per_applicant),
  };
}
