-- Vigie log store, first layout (docs/decisions/0003-log-store-layout.md).
-- The applicant columns are the 28 fields of CONTRACT.md section 1: numbers REAL, categories TEXT.
-- Input fields the contract does not know, and values of the wrong type, go to input_extra (JSON);
-- top-level record fields this version does not know go to extra (JSON). Nothing read is dropped.

CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('file', 'endpoint', 'generator')),
  location TEXT NOT NULL,
  sha256 TEXT,
  size INTEGER,
  mtime_ms INTEGER,
  status TEXT NOT NULL CHECK (status IN ('partial', 'complete', 'damaged')),
  cursor TEXT,
  lines INTEGER NOT NULL DEFAULT 0,
  inserted INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  quarantined INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX sources_file_identity ON sources (sha256, size) WHERE kind = 'file';
CREATE UNIQUE INDEX sources_named ON sources (kind, location) WHERE kind <> 'file';
CREATE INDEX sources_location ON sources (location);

CREATE TABLE predictions (
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  request_id TEXT NOT NULL UNIQUE,
  replica TEXT NOT NULL,
  route TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'invalid', 'rejected', 'error')),
  model_name TEXT,
  model_version TEXT,
  model_alias TEXT,
  served_by TEXT,
  degraded INTEGER NOT NULL,
  cache_hit INTEGER NOT NULL,
  probability REAL,
  decision TEXT,
  threshold REAL,
  latency_total_ms REAL,
  latency_queue_ms REAL,
  latency_inference_ms REAL,
  error_code TEXT,
  error_json TEXT,
  applicant_ref TEXT,
  client TEXT,
  source_id INTEGER REFERENCES sources (id),
  "SK_ID_CURR" REAL,
  "NAME_CONTRACT_TYPE" TEXT,
  "CODE_GENDER" TEXT,
  "FLAG_OWN_CAR" TEXT,
  "FLAG_OWN_REALTY" TEXT,
  "CNT_CHILDREN" REAL,
  "AMT_INCOME_TOTAL" REAL,
  "AMT_CREDIT" REAL,
  "AMT_ANNUITY" REAL,
  "AMT_GOODS_PRICE" REAL,
  "NAME_INCOME_TYPE" TEXT,
  "NAME_EDUCATION_TYPE" TEXT,
  "NAME_FAMILY_STATUS" TEXT,
  "NAME_HOUSING_TYPE" TEXT,
  "OCCUPATION_TYPE" TEXT,
  "REGION_POPULATION_RELATIVE" REAL,
  "REGION_RATING_CLIENT" REAL,
  "DAYS_BIRTH" REAL,
  "DAYS_EMPLOYED" REAL,
  "DAYS_REGISTRATION" REAL,
  "DAYS_ID_PUBLISH" REAL,
  "DAYS_LAST_PHONE_CHANGE" REAL,
  "OWN_CAR_AGE" REAL,
  "CNT_FAM_MEMBERS" REAL,
  "EXT_SOURCE_1" REAL,
  "EXT_SOURCE_2" REAL,
  "EXT_SOURCE_3" REAL,
  "AMT_REQ_CREDIT_BUREAU_YEAR" REAL,
  input_extra TEXT,
  extra TEXT
);
CREATE INDEX predictions_ts ON predictions (ts);

-- Per-minute aggregates kept up to date at insert time, so the console's overview never scans the predictions.
-- latency_hist: 192 little-endian uint32 counts on a log2 scale (8 bins per doubling from 0.01 ms);
-- probability_hist: 20 uint32 counts of width 0.05. See db/rollup.ts.
CREATE TABLE rollup_minute (
  minute INTEGER NOT NULL,
  model_name TEXT NOT NULL,
  model_version TEXT NOT NULL,
  requests INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  invalid INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  error INTEGER NOT NULL,
  degraded INTEGER NOT NULL,
  served_fallback INTEGER NOT NULL,
  served_rules INTEGER NOT NULL,
  cache_hits INTEGER NOT NULL,
  decided INTEGER NOT NULL,
  approved INTEGER NOT NULL,
  latency_n INTEGER NOT NULL,
  latency_sum REAL NOT NULL,
  latency_hist BLOB NOT NULL,
  probability_hist BLOB NOT NULL,
  PRIMARY KEY (minute, model_name, model_version)
) WITHOUT ROWID;

CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id),
  line_no INTEGER NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  excerpt TEXT NOT NULL,
  UNIQUE (source_id, line_no)
);
CREATE INDEX quarantine_reason ON quarantine (reason, source_id);

CREATE TABLE labels (
  id INTEGER PRIMARY KEY,
  request_id TEXT,
  applicant_ref TEXT,
  outcome INTEGER NOT NULL CHECK (outcome IN (0, 1)),
  observed_at INTEGER NOT NULL,
  source TEXT,
  CHECK (request_id IS NOT NULL OR applicant_ref IS NOT NULL)
);
CREATE INDEX labels_request ON labels (request_id);
CREATE INDEX labels_applicant ON labels (applicant_ref);

CREATE TABLE analysis_results (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  params TEXT NOT NULL,
  result TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX analysis_results_kind ON analysis_results (kind, created_at);

CREATE TABLE import_runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('files', 'pull', 'records')),
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('complete', 'aborted', 'failed')),
  sources INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  inserted INTEGER NOT NULL,
  duplicates INTEGER NOT NULL,
  quarantined INTEGER NOT NULL,
  summary TEXT NOT NULL
);
