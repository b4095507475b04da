-- Outcomes (CONTRACT.md section 3b) and alerts (docs/performance.md, docs/alerts.md).
-- A request has at most one outcome, an applicant-keyed outcome (request_id NULL) one per applicant reference:
-- a second, different outcome is a conflict kept in label_conflicts, never applied over the first.
CREATE UNIQUE INDEX labels_one_per_request ON labels (request_id) WHERE request_id IS NOT NULL;
CREATE UNIQUE INDEX labels_one_per_applicant ON labels (applicant_ref) WHERE request_id IS NULL;

CREATE TABLE label_imports (
  id INTEGER PRIMARY KEY,
  location TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  key_kind TEXT NOT NULL CHECK (key_kind IN ('request_id', 'SK_ID_CURR')),
  status TEXT NOT NULL CHECK (status IN ('partial', 'complete', 'failed')),
  lines INTEGER NOT NULL DEFAULT 0,
  inserted INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  conflicts INTEGER NOT NULL DEFAULT 0,
  unmatched INTEGER NOT NULL DEFAULT 0,
  quarantined INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
);

CREATE TABLE label_conflicts (
  id INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES label_imports (id),
  line_no INTEGER NOT NULL,
  request_id TEXT,
  applicant_ref TEXT,
  stored_outcome INTEGER NOT NULL,
  new_outcome INTEGER NOT NULL,
  observed_at INTEGER NOT NULL,
  UNIQUE (import_id, line_no)
);

CREATE TABLE label_quarantine (
  id INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES label_imports (id),
  line_no INTEGER NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  excerpt TEXT NOT NULL,
  UNIQUE (import_id, line_no)
);

-- One row per alert rule and period start: its state moves firing -> resolved, or firing -> acknowledged.
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
  state TEXT NOT NULL CHECK (state IN ('firing', 'resolved', 'acknowledged')),
  period_start INTEGER NOT NULL,
  period_end INTEGER NOT NULL,
  value REAL,
  threshold REAL,
  message TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  resolved_at INTEGER,
  acknowledged_at INTEGER,
  UNIQUE (rule, period_start)
);
CREATE INDEX alerts_state ON alerts (state, last_seen);

CREATE TABLE alert_deliveries (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts (id),
  event TEXT NOT NULL CHECK (event IN ('firing', 'resolved')),
  target TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('delivered', 'failed')),
  attempts INTEGER NOT NULL,
  http_status INTEGER,
  error TEXT,
  delivered_at INTEGER NOT NULL
);
CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id);

-- The alert rules' thresholds and webhook (one JSON document; absent: the defaults of core/alerts/rules.ts).
CREATE TABLE alert_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  settings TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
