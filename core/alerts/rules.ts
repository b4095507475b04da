/**
 * Alert rules and their default thresholds (docs/alerts.md). A rule compares one figure per window with a warning
 * and a critical threshold; `direction` says whether a high or a low value is bad. Thresholds live in the store's
 * alert settings, so the console, `vigie check` and the imports judge with the same numbers.
 */
import { SEGMENTS, type Segment } from '../analysis/performance/index.ts';

export const RULE_IDS = [
  'drift_share',
  'field_drift',
  'estimated_auc_drop',
  'realised_auc_drop',
  'error_rate',
  'p99_latency',
  'fallback_rate',
  'approval_ratio',
] as const;
export type RuleId = (typeof RULE_IDS)[number];
export type AlertSeverity = 'warning' | 'critical';

export interface RuleSettings {
  enabled: boolean;
  warning: number;
  critical: number;
}

export interface AlertSettings {
  rules: Record<RuleId, RuleSettings>;
  /**
   * Segments the approval_ratio rule watches. Age bands and contract types are shown and flagged in the fairness
   * table, but approval rates by age and product follow default risk by design, so alerting on them is opt-in.
   * @default ['CODE_GENDER']
   */
  fairnessSegments: Segment[];
  /** Consecutive windows a performance or drift rule must fire for "retraining recommended". @default 3 */
  sustainedWindows: number;
  /** JSON POST target of firing and resolved alerts; null: no delivery. */
  webhookUrl: string | null;
  /** Tries per delivery (first try included), with exponential backoff from 500 ms. @default 4 */
  webhookAttempts: number;
}

export interface RuleInfo {
  label: string;
  direction: 'above' | 'below';
  unit: string;
  family: 'drift' | 'performance' | 'operations' | 'fairness';
}

export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  drift_share: { label: 'Share of drifted fields', direction: 'above', unit: 'share', family: 'drift' },
  field_drift: { label: "A field's primary drift statistic", direction: 'above', unit: 'statistic', family: 'drift' },
  estimated_auc_drop: {
    label: 'Estimated ROC AUC drop against the baseline',
    direction: 'above',
    unit: 'AUC points',
    family: 'performance',
  },
  realised_auc_drop: {
    label: 'Realised ROC AUC drop against the baseline',
    direction: 'above',
    unit: 'AUC points',
    family: 'performance',
  },
  error_rate: { label: 'Error rate (5xx)', direction: 'above', unit: 'share', family: 'operations' },
  p99_latency: { label: 'p99 latency', direction: 'above', unit: 'ms', family: 'operations' },
  fallback_rate: { label: 'Fallback rate', direction: 'above', unit: 'share', family: 'operations' },
  approval_ratio: {
    label: 'Lowest approval-rate ratio against the best-treated group',
    direction: 'below',
    unit: 'ratio',
    family: 'fairness',
  },
};

export const DEFAULT_ALERT_SETTINGS: AlertSettings = Object.freeze({
  rules: {
    drift_share: { enabled: true, warning: 0.3, critical: 0.5 },
    field_drift: { enabled: true, warning: 0.25, critical: 0.5 },
    estimated_auc_drop: { enabled: true, warning: 0.03, critical: 0.06 },
    realised_auc_drop: { enabled: true, warning: 0.03, critical: 0.06 },
    error_rate: { enabled: true, warning: 0.02, critical: 0.05 },
    p99_latency: { enabled: true, warning: 100, critical: 500 },
    fallback_rate: { enabled: true, warning: 0.05, critical: 0.2 },
    approval_ratio: { enabled: true, warning: 0.8, critical: 0.6 },
  },
  fairnessSegments: ['CODE_GENDER'],
  sustainedWindows: 3,
  webhookUrl: null,
  webhookAttempts: 4,
}) as AlertSettings;

export interface SettingsIssue {
  path: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a (partial) settings document over the defaults; every issue names its path and what is allowed. */
export function parseAlertSettings(
  input: unknown,
  base: AlertSettings = DEFAULT_ALERT_SETTINGS,
): { ok: true; value: AlertSettings } | { ok: false; issues: SettingsIssue[] } {
  const issues: SettingsIssue[] = [];
  const value: AlertSettings = structuredClone(base);
  if (!isObject(input)) return { ok: false, issues: [{ path: '', message: 'alert settings must be a JSON object' }] };
  for (const key of Object.keys(input)) {
    if (!['rules', 'fairnessSegments', 'sustainedWindows', 'webhookUrl', 'webhookAttempts'].includes(key)) {
      issues.push({ path: key, message: 'is not an alert setting' });
    }
  }
  if (input.rules !== undefined) {
    if (!isObject(input.rules)) issues.push({ path: 'rules', message: 'must be an object of rules' });
    else {
      for (const [id, raw] of Object.entries(input.rules)) {
        if (!(RULE_IDS as readonly string[]).includes(id)) {
          issues.push({ path: `rules.${id}`, message: `is not a rule; rules are ${RULE_IDS.join(', ')}` });
          continue;
        }
        if (!isObject(raw)) {
          issues.push({ path: `rules.${id}`, message: 'must be an object with enabled, warning, critical' });
          continue;
        }
        const rule = value.rules[id as RuleId];
        if (raw.enabled !== undefined) {
          if (typeof raw.enabled !== 'boolean')
            issues.push({ path: `rules.${id}.enabled`, message: 'must be true or false' });
          else rule.enabled = raw.enabled;
        }
        for (const level of ['warning', 'critical'] as const) {
          if (raw[level] === undefined) continue;
          const n = raw[level];
          if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
            issues.push({ path: `rules.${id}.${level}`, message: 'must be a number of 0 or more' });
          } else rule[level] = n;
        }
        const below = RULES[id as RuleId].direction === 'below';
        if (below ? rule.critical > rule.warning : rule.critical < rule.warning) {
          issues.push({
            path: `rules.${id}`,
            message: below
              ? 'the critical threshold must be at or below the warning threshold'
              : 'the critical threshold must be at or above the warning threshold',
          });
        }
      }
    }
  }
  if (input.fairnessSegments !== undefined) {
    const list = input.fairnessSegments;
    if (!Array.isArray(list) || list.some((s) => !(SEGMENTS as readonly unknown[]).includes(s))) {
      issues.push({ path: 'fairnessSegments', message: `must be a list of ${SEGMENTS.join(', ')}` });
    } else value.fairnessSegments = [...new Set(list as Segment[])];
  }
  if (input.sustainedWindows !== undefined) {
    const n = input.sustainedWindows;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 90) {
      issues.push({ path: 'sustainedWindows', message: 'must be a whole number of windows from 1 to 90' });
    } else value.sustainedWindows = n;
  }
  if (input.webhookUrl !== undefined) {
    const url = input.webhookUrl;
    if (url === null || url === '') value.webhookUrl = null;
    else if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url) || url.length > 2048) {
      issues.push({ path: 'webhookUrl', message: 'must be an http:// or https:// address, or empty for none' });
    } else value.webhookUrl = url;
  }
  if (input.webhookAttempts !== undefined) {
    const n = input.webhookAttempts;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10) {
      issues.push({ path: 'webhookAttempts', message: 'must be a whole number from 1 to 10' });
    } else value.webhookAttempts = n;
  }
  return issues.length ? { ok: false, issues } : { ok: true, value };
}
