-- Narrower rows (docs/decisions/1621-narrower-record-rows.md, docs/log-store.md). Ten columns no reader filters, sorts
-- or joins on in SQL leave prediction_rows for the record's chunk, one blob each (numbers float64, texts as category
-- blobs: db/chunk-format.ts): each column less per row is less work for the single writer of an import. The records of
-- the 0007 table are moved by the store when it opens (db/narrow-conversion.ts), in one transaction, then
-- prediction_rows_0007 is dropped. `predictions` keeps the wave-1 columns, reading the moved ones from the chunks.

DROP VIEW predictions;
ALTER TABLE prediction_rows RENAME TO prediction_rows_0007;
DROP INDEX prediction_rows_ts;

CREATE TABLE prediction_rows (
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  request_id TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('ok', 'invalid', 'rejected', 'error')),
  model_name TEXT,
  model_version TEXT,
  served_by TEXT,
  degraded INTEGER NOT NULL,
  cache_hit INTEGER NOT NULL,
  probability REAL,
  decision TEXT,
  latency_total_ms REAL,
  latency_inference_ms REAL,
  applicant_ref TEXT,
  source_id INTEGER REFERENCES sources (id),
  extra TEXT,
  chunk_id INTEGER NOT NULL
);
CREATE INDEX prediction_rows_ts ON prediction_rows (ts);

-- NULL only in chunks written before this migration, until the store's conversion fills them.
ALTER TABLE record_chunks ADD COLUMN "replica" BLOB;
ALTER TABLE record_chunks ADD COLUMN "route" BLOB;
ALTER TABLE record_chunks ADD COLUMN "http_status" BLOB;
ALTER TABLE record_chunks ADD COLUMN "model_alias" BLOB;
ALTER TABLE record_chunks ADD COLUMN "threshold" BLOB;
ALTER TABLE record_chunks ADD COLUMN "latency_queue_ms" BLOB;
ALTER TABLE record_chunks ADD COLUMN "error_code" BLOB;
ALTER TABLE record_chunks ADD COLUMN "error_json" BLOB;
ALTER TABLE record_chunks ADD COLUMN "client" BLOB;
ALTER TABLE record_chunks ADD COLUMN "input_extra" BLOB;

CREATE VIEW predictions AS SELECT
  r.id,
  r.ts,
  r.request_id,
  CASE WHEN vigie_chunk_cached(r.chunk_id, 28) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 28)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 28, c."replica") END AS "replica",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 29) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 29)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 29, c."route") END AS "route",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 30) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 30)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 30, c."http_status") END AS "http_status",
  r.status,
  r.model_name,
  r.model_version,
  CASE WHEN vigie_chunk_cached(r.chunk_id, 31) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 31)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 31, c."model_alias") END AS "model_alias",
  r.served_by,
  r.degraded,
  r.cache_hit,
  r.probability,
  r.decision,
  CASE WHEN vigie_chunk_cached(r.chunk_id, 32) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 32)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 32, c."threshold") END AS "threshold",
  r.latency_total_ms,
  CASE WHEN vigie_chunk_cached(r.chunk_id, 33) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 33)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 33, c."latency_queue_ms") END AS "latency_queue_ms",
  r.latency_inference_ms,
  CASE WHEN vigie_chunk_cached(r.chunk_id, 34) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 34)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 34, c."error_code") END AS "error_code",
  CASE WHEN vigie_chunk_cached(r.chunk_id, 35) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 35)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 35, c."error_json") END AS "error_json",
  r.applicant_ref,
  CASE WHEN vigie_chunk_cached(r.chunk_id, 36) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 36)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 36, c."client") END AS "client",
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
  CASE WHEN vigie_chunk_cached(r.chunk_id, 37) THEN vigie_chunk_value(r.chunk_id, r.id - c.first_id, 37)
    ELSE vigie_chunk_load(r.chunk_id, r.id - c.first_id, 37, c."input_extra") END AS "input_extra",
  r.extra
FROM prediction_rows r LEFT JOIN record_chunks c ON c.id = r.chunk_id;
