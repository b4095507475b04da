-- Column chunks (docs/decisions/1607-column-chunk-store.md, docs/store.md). The 28 applicant fields leave the
-- per-record row: each write appends chunks of up to 2048 records to record_chunks, one typed blob per field
-- (db/chunk-format.ts), beside per-chunk statistics. prediction_rows keeps one narrow row per record for dedupe
-- (request_id UNIQUE), point lookups and the operational readers; chunk_id and id - first_id place its applicant
-- values. The records of the wave-1 table are moved by the store when it opens (db/wave1-conversion.ts), in one
-- transaction, then predictions_wave1 is dropped. `predictions` becomes a view with the wave-1 columns, so SQL that
-- reads it keeps its answers; the vigie_chunk_* functions it calls are registered on every store connection.

ALTER TABLE predictions RENAME TO predictions_wave1;

CREATE TABLE prediction_rows (
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
  input_extra TEXT,
  extra TEXT,
  chunk_id INTEGER NOT NULL
);
CREATE INDEX prediction_rows_ts ON prediction_rows (ts);

-- One chunk: the records with ids first_id … first_id + rows - 1, all inserted by one write. Blobs: number fields
-- float64 little-endian (NaN: missing); category fields a dictionary and uint16 codes (db/chunk-format.ts).
-- ts, status, probability and the model columns repeat the narrow rows' values so a column read filters without them.
CREATE TABLE record_chunks (
  id INTEGER PRIMARY KEY,
  first_id INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  ts_min INTEGER NOT NULL,
  ts_max INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  invalid INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  error INTEGER NOT NULL,
  ts BLOB NOT NULL,
  status BLOB NOT NULL,
  probability BLOB NOT NULL,
  model_name BLOB NOT NULL,
  model_version BLOB NOT NULL,
  served_by BLOB NOT NULL,
  "SK_ID_CURR" BLOB NOT NULL,
  "NAME_CONTRACT_TYPE" BLOB NOT NULL,
  "CODE_GENDER" BLOB NOT NULL,
  "FLAG_OWN_CAR" BLOB NOT NULL,
  "FLAG_OWN_REALTY" BLOB NOT NULL,
  "CNT_CHILDREN" BLOB NOT NULL,
  "AMT_INCOME_TOTAL" BLOB NOT NULL,
  "AMT_CREDIT" BLOB NOT NULL,
  "AMT_ANNUITY" BLOB NOT NULL,
  "AMT_GOODS_PRICE" BLOB NOT NULL,
  "NAME_INCOME_TYPE" BLOB NOT NULL,
  "NAME_EDUCATION_TYPE" BLOB NOT NULL,
  "NAME_FAMILY_STATUS" BLOB NOT NULL,
  "NAME_HOUSING_TYPE" BLOB NOT NULL,
  "OCCUPATION_TYPE" BLOB NOT NULL,
  "REGION_POPULATION_RELATIVE" BLOB NOT NULL,
  "REGION_RATING_CLIENT" BLOB NOT NULL,
  "DAYS_BIRTH" BLOB NOT NULL,
  "DAYS_EMPLOYED" BLOB NOT NULL,
  "DAYS_REGISTRATION" BLOB NOT NULL,
  "DAYS_ID_PUBLISH" BLOB NOT NULL,
  "DAYS_LAST_PHONE_CHANGE" BLOB NOT NULL,
  "OWN_CAR_AGE" BLOB NOT NULL,
  "CNT_FAM_MEMBERS" BLOB NOT NULL,
  "EXT_SOURCE_1" BLOB NOT NULL,
  "EXT_SOURCE_2" BLOB NOT NULL,
  "EXT_SOURCE_3" BLOB NOT NULL,
  "AMT_REQ_CREDIT_BUREAU_YEAR" BLOB NOT NULL
);

CREATE VIEW predictions AS SELECT
  r.id,
  r.ts,
  r.request_id,
  r.replica,
  r.route,
  r.http_status,
  r.status,
  r.model_name,
  r.model_version,
  r.model_alias,
  r.served_by,
  r.degraded,
  r.cache_hit,
  r.probability,
  r.decision,
  r.threshold,
  r.latency_total_ms,
  r.latency_queue_ms,
  r.latency_inference_ms,
  r.error_code,
  r.error_json,
  r.applicant_ref,
  r.client,
  r.source_id,
  CASE WHEN vigie_chunk_cached(r.chunk_id, 0) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 0)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 0, c."SK_ID_CURR") END AS "SK_ID_CURR",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 1) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 1)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 1, c."NAME_CONTRACT_TYPE") END AS "NAME_CONTRACT_TYPE",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 2) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 2)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 2, c."CODE_GENDER") END AS "CODE_GENDER",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 3) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 3)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 3, c."FLAG_OWN_CAR") END AS "FLAG_OWN_CAR",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 4) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 4)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 4, c."FLAG_OWN_REALTY") END AS "FLAG_OWN_REALTY",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 5) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 5)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 5, c."CNT_CHILDREN") END AS "CNT_CHILDREN",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 6) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 6)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 6, c."AMT_INCOME_TOTAL") END AS "AMT_INCOME_TOTAL",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 7) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 7)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 7, c."AMT_CREDIT") END AS "AMT_CREDIT",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 8) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 8)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 8, c."AMT_ANNUITY") END AS "AMT_ANNUITY",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 9) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 9)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 9, c."AMT_GOODS_PRICE") END AS "AMT_GOODS_PRICE",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 10) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 10)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 10, c."NAME_INCOME_TYPE") END AS "NAME_INCOME_TYPE",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 11) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 11)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 11, c."NAME_EDUCATION_TYPE") END AS "NAME_EDUCATION_TYPE",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 12) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 12)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 12, c."NAME_FAMILY_STATUS") END AS "NAME_FAMILY_STATUS",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 13) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 13)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 13, c."NAME_HOUSING_TYPE") END AS "NAME_HOUSING_TYPE",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 14) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 14)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 14, c."OCCUPATION_TYPE") END AS "OCCUPATION_TYPE",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 15) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 15)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 15, c."REGION_POPULATION_RELATIVE") END AS "REGION_POPULATION_RELATIVE",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 16) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 16)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 16, c."REGION_RATING_CLIENT") END AS "REGION_RATING_CLIENT",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 17) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 17)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 17, c."DAYS_BIRTH") END AS "DAYS_BIRTH",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 18) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 18)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 18, c."DAYS_EMPLOYED") END AS "DAYS_EMPLOYED",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 19) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 19)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 19, c."DAYS_REGISTRATION") END AS "DAYS_REGISTRATION",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 20) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 20)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 20, c."DAYS_ID_PUBLISH") END AS "DAYS_ID_PUBLISH",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 21) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 21)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 21, c."DAYS_LAST_PHONE_CHANGE") END AS "DAYS_LAST_PHONE_CHANGE",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 22) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 22)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 22, c."OWN_CAR_AGE") END AS "OWN_CAR_AGE",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 23) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 23)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 23, c."CNT_FAM_MEMBERS") END AS "CNT_FAM_MEMBERS",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 24) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 24)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 24, c."EXT_SOURCE_1") END AS "EXT_SOURCE_1",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 25) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 25)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 25, c."EXT_SOURCE_2") END AS "EXT_SOURCE_2",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 26) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 26)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 26, c."EXT_SOURCE_3") END AS "EXT_SOURCE_3",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 27) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 27)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 27, c."AMT_REQ_CREDIT_BUREAU_YEAR") END AS "AMT_REQ_CREDIT_BUREAU_YEAR",
  r.input_extra,
  r.extra
FROM prediction_rows r LEFT JOIN record_chunks c ON c.id = r.chunk_id;
