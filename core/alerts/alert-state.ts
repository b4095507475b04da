/**
 * Alert state over time: a finding opens an alert (firing) once per rule and window start; an alert whose window was
 * evaluated again without firing is resolved; an engineer may acknowledge a firing alert (it stays acknowledged
 * while it keeps firing). Firing and resolved events go to the webhook, and every delivery is recorded.
 */
import type { AlertFinding } from './evaluate.ts';
import type { AlertSettings, AlertSeverity } from './rules.ts';
import { deliverWebhook, type DeliveryResult, type WebhookOptions } from './webhook.ts';

export type AlertStatus = 'firing' | 'resolved' | 'acknowledged';

export interface StoredAlert {
  id: number;
  rule: string;
  severity: AlertSeverity;
  state: AlertStatus;
  periodStart: number;
  periodEnd: number;
  value: number | null;
  threshold: number | null;
  message: string;
  firstSeen: number;
  lastSeen: number;
  resolvedAt: number | null;
  acknowledgedAt: number | null;
}

/** One recorded webhook delivery of an alert event, as the store lists them. */
export interface StoredDelivery {
  id: number;
  alertId: number;
  rule: string;
  event: string;
  target: string;
  status: 'delivered' | 'failed';
  attempts: number;
  httpStatus: number | null;
  error: string | null;
  deliveredAt: number;
}

export interface AlertEvent {
  event: 'firing' | 'resolved';
  alert: StoredAlert;
}

/** The port db/alert-table.ts implements. */
export interface AlertStore {
  alertSettings(): AlertSettings;
  /** Opens, refreshes and resolves alerts for the findings of [from, to); returns the events to deliver. */
  reconcile(findings: AlertFinding[], from: number, to: number, now: number): AlertEvent[];
  recordDelivery(alertId: number, event: AlertEvent['event'], target: string, result: DeliveryResult): void;
}

/** The webhook body: one event with its alert (documented in docs/alerts.md). */
export function webhookPayload(event: AlertEvent, trigger: string) {
  const { alert } = event;
  return {
    source: 'vigie',
    event: event.event,
    trigger,
    alert: {
      id: alert.id,
      rule: alert.rule,
      severity: alert.severity,
      state: alert.state,
      period: { from: new Date(alert.periodStart).toISOString(), to: new Date(alert.periodEnd).toISOString() },
      value: alert.value,
      threshold: alert.threshold,
      message: alert.message,
    },
  };
}

export interface ApplyResult {
  events: AlertEvent[];
  deliveries: Array<DeliveryResult & { alertId: number; event: AlertEvent['event'] }>;
}

/** Reconciles the findings with the stored alerts and delivers the resulting events to the webhook, if one is set. */
export async function applyFindings(
  store: AlertStore,
  findings: AlertFinding[],
  range: { from: number; to: number },
  trigger: string,
  options: WebhookOptions = {},
): Promise<ApplyResult> {
  const settings = store.alertSettings();
  const events = store.reconcile(findings, range.from, range.to, Date.now());
  const deliveries: ApplyResult['deliveries'] = [];
  if (settings.webhookUrl) {
    for (const event of events) {
      const result = await deliverWebhook(settings.webhookUrl, webhookPayload(event, trigger), {
        attempts: settings.webhookAttempts,
        ...options,
      });
      store.recordDelivery(event.alert.id, event.event, settings.webhookUrl, result);
      deliveries.push({ ...result, alertId: event.alert.id, event: event.event });
    }
  }
  return { events, deliveries };
}
