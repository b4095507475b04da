/** What the registry knows about one model version, for people: lineage, validation metrics, cost curve. Types only. */

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  mean_predicted: number;
  observed_default_rate: number;
}

export interface SegmentFigures {
  rows: number;
  default_rate: number;
  roc_auc: number;
  approval_rate: number;
}

export interface ModelVersionView {
  name: string;
  version: string;
  aliases: string[];
  kind: string;
  description: string;
  threshold: number;
  lineage: {
    runId: string | null;
    modelUuid: string | null;
    created: string | null;
    dataFingerprint: string | null;
    codeCommit: string | null;
    codeDirty: boolean | null;
    libraryVersions: Record<string, string>;
  };
  metrics: {
    rocAuc: number | null;
    brier: number | null;
    logLoss: number | null;
    validationRows: number | null;
    calibration: CalibrationBin[];
    atThreshold: {
      precision: number | null;
      recall: number | null;
      f1: number | null;
      approvalRate: number | null;
      costPerApplicant: number | null;
      costFalseNegative: number | null;
      costFalsePositive: number | null;
    };
    byGroup: Record<string, Record<string, SegmentFigures>>;
    parity: { maxAbsDiff: number | null; tolerance: number | null; rows: number | null; compared: string | null };
  };
  /** Business cost per applicant against the threshold, on the package's labelled reference sample. */
  costCurve: { rows: number; points: Array<{ threshold: number; costPerApplicant: number }> };
  /** Why metrics.json or the sample could not be read, when one could not. */
  problems: string[];
}

export interface AliasHistoryView {
  at: string;
  by: string;
  action: 'register' | 'promote' | 'rollback';
  model: string;
  alias: string | null;
  from: string | null;
  to: string | null;
  reason: string | null;
}

export interface ModelsOverview {
  versions: ModelVersionView[];
  history: AliasHistoryView[];
  /** For each model and alias, the version a rollback would go back to (null: none). */
  rollbackTargets: Record<string, Record<string, string | null>>;
  /** How a running scoring API picks up an alias change (docs/decisions/1200-api-reload-rule.md). */
  reloadRule: string;
}
