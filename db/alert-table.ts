/** Alerts, their webhook deliveries and the alert settings in the store (migration 0006-outcomes-alerts.sql). */
import type Database from 'better-sqlite3';
import {
  DEFAULT_ALERT_SETTINGS,
  parseAlertSettings,
  type AlertEvent,
  type AlertFinding,
  type AlertSettings,
  type AlertStore,
  type DeliveryResult,
  type StoredAlert,
  type StoredDelivery,
} from '../core/alerts/index.ts';

const ALERT_COLUMNS = `id, rule, severity, state, period_start AS periodStart, period_end AS periodEnd, value, threshold,
  message, first_seen AS firstSeen, last_seen AS lastSeen, resolved_at AS resolvedAt, acknowledged_at AS acknowledgedAt`;

const SQL = {
  settings: 'SELECT settings FROM alert_settings WHERE id = 1',
  saveSettings: `INSERT INTO alert_settings (id, settings, updated_at) VALUES (1, ?, ?)
    ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
  byKey: `SELECT ${ALERT_COLUMNS} FROM alerts WHERE rule = ? AND period_start = ?`,
  byId: `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ?`,
  insert: `INSERT INTO alerts (rule, severity, state, period_start, period_end, value, threshold, message, first_seen,
    last_seen) VALUES (?, ?, 'firing', ?, ?, ?, ?, ?, ?, ?)`,
  refresh: `UPDATE alerts SET severity = ?, period_end = ?, value = ?, threshold = ?, message = ?, last_seen = ?,
    state = CASE WHEN state = 'resolved' THEN 'firing' ELSE state END,
    resolved_at = CASE WHEN state = 'resolved' THEN NULL ELSE resolved_at END WHERE id = ?`,
  openInRange: `SELECT ${ALERT_COLUMNS} FROM alerts WHERE state <> 'resolved' AND period_start >= ? AND period_start < ?`,
  resolve: "UPDATE alerts SET state = 'resolved', resolved_at = ? WHERE id = ?",
  acknowledge: "UPDATE alerts SET state = 'acknowledged', acknowledged_at = ? WHERE id = ? AND state = 'firing'",
  list: `SELECT ${ALERT_COLUMNS} FROM alerts WHERE (@state IS NULL OR state = @state)
    AND (@from IS NULL OR period_end > @from) AND (@to IS NULL OR period_start < @to)
    ORDER BY CASE state WHEN 'firing' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END, period_start DESC LIMIT @limit`,
  insertDelivery: `INSERT INTO alert_deliveries (alert_id, event, target, status, attempts, http_status, error,
    delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  deliveries: `SELECT d.id, d.alert_id AS alertId, a.rule, d.event, d.target, d.status, d.attempts,
    d.http_status AS httpStatus, d.error, d.delivered_at AS deliveredAt
    FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id ORDER BY d.id DESC LIMIT ?`,
} as const;

/** A delivery as `deliveries` lists it (core's StoredDelivery). */
export type DeliveryRow = StoredDelivery;

type Statements = { [K in keyof typeof SQL]: Database.Statement };

/** Only the origin of a webhook is kept with a delivery: the path of many webhooks is itself a secret. */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid address';
  }
}

export class AlertTable implements AlertStore {
  private readonly stmt: Statements;

  constructor(private readonly db: Database.Database) {
    this.stmt = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Statements;
  }

  alertSettings(): AlertSettings {
    const text = this.stmt.settings.pluck().get() as string | undefined;
    if (!text) return structuredClone(DEFAULT_ALERT_SETTINGS);
    const parsed = parseAlertSettings(JSON.parse(text));
    return parsed.ok ? parsed.value : structuredClone(DEFAULT_ALERT_SETTINGS);
  }

  saveAlertSettings(settings: AlertSettings): void {
    this.stmt.saveSettings.run(JSON.stringify(settings), Date.now());
  }

  reconcile(findings: AlertFinding[], from: number, to: number, now: number): AlertEvent[] {
    return this.db.transaction(() => {
      const events: AlertEvent[] = [];
      const seen = new Set<number>();
      for (const f of findings) {
        const existing = this.stmt.byKey.get(f.rule, f.periodStart) as StoredAlert | undefined;
        if (!existing) {
          const info = this.stmt.insert.run(
            f.rule,
            f.severity,
            f.periodStart,
            f.periodEnd,
            f.value,
            f.threshold,
            f.message,
            now,
            now,
          );
          const alert = this.stmt.byId.get(info.lastInsertRowid) as StoredAlert;
          seen.add(alert.id);
          events.push({ event: 'firing', alert });
          continue;
        }
        seen.add(existing.id);
        this.stmt.refresh.run(f.severity, f.periodEnd, f.value, f.threshold, f.message, now, existing.id);
        if (existing.state === 'resolved') {
          events.push({ event: 'firing', alert: this.stmt.byId.get(existing.id) as StoredAlert });
        }
      }
      for (const open of this.stmt.openInRange.all(from, to) as StoredAlert[]) {
        if (seen.has(open.id)) continue;
        this.stmt.resolve.run(now, open.id);
        events.push({ event: 'resolved', alert: this.stmt.byId.get(open.id) as StoredAlert });
      }
      return events;
    })();
  }

  acknowledge(id: number): StoredAlert | null {
    this.stmt.acknowledge.run(Date.now(), id);
    return (this.stmt.byId.get(id) as StoredAlert | undefined) ?? null;
  }

  list(filter: { state?: string; from?: number; to?: number; limit?: number } = {}): StoredAlert[] {
    return this.stmt.list.all({
      state: filter.state ?? null,
      from: filter.from ?? null,
      to: filter.to ?? null,
      limit: filter.limit ?? 200,
    }) as StoredAlert[];
  }

  recordDelivery(alertId: number, event: AlertEvent['event'], target: string, result: DeliveryResult): void {
    this.stmt.insertDelivery.run(
      alertId,
      event,
      origin(target),
      result.status,
      result.attempts,
      result.httpStatus,
      result.error,
      Date.now(),
    );
  }

  deliveries(limit = 50): DeliveryRow[] {
    return this.stmt.deliveries.all(limit) as DeliveryRow[];
  }
}
