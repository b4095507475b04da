-- Hourly aggregates beside the per-minute ones, so an Overview over weeks reads hundreds of rows instead of tens of
-- thousands. Same columns and meaning as rollup_minute (db/rollup.ts); `hour` is epoch hours. The store fills it
-- from rollup_minute when it finds it empty (histogram blobs cannot be summed in SQL).
CREATE TABLE rollup_hour (
  hour INTEGER NOT NULL,
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
  PRIMARY KEY (hour, model_name, model_version)
) WITHOUT ROWID;
