export {
  DEFAULT_ALERT_SETTINGS,
  parseAlertSettings,
  RULE_IDS,
  RULES,
  type AlertSettings,
  type AlertSeverity,
  type RuleId,
  type RuleInfo,
  type RuleSettings,
  type SettingsIssue,
} from './rules.ts';
export {
  evaluateRules,
  RETRAIN_COMMAND,
  type AlertFinding,
  type DriftWindowFigures,
  type EvaluationInput,
} from './evaluate.ts';
export { deliverWebhook, type DeliveryResult, type WebhookOptions } from './webhook.ts';
export {
  applyFindings,
  webhookPayload,
  type AlertEvent,
  type AlertStatus,
  type AlertStore,
  type ApplyResult,
  type StoredAlert,
  type StoredDelivery,
} from './alert-state.ts';
export {
  evaluateStoredPeriod,
  type DriftProbe,
  type StoredAlertSources,
  type StoredEvaluation,
} from './evaluate-stored.ts';
export { storedDriftProbe } from './stored-drift-probe.ts';
