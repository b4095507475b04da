export {
  ANOMALY_METRICS,
  DEFAULT_ANOMALY_OPTIONS,
  detectAnomalies,
  type AnomalyAnalysis,
  type AnomalyMetric,
  type AnomalyOptions,
  type BaselineKind,
  type Finding,
  type Severity,
} from './detect-anomalies.ts';
export {
  groupIncidents,
  impactSeverity,
  METRIC_LABELS,
  MIN_RATE_TRIALS,
  type Incident,
  type IncidentMove,
} from './incidents.ts';
export { operationalWindows, type OperationalWindow } from './operational-windows.ts';
export { median, scaledMad } from './robust.ts';
