-- Profiling runs (docs/profiling.md): one row per finished run, written in one statement when the run completes,
-- so a cancelled or failed run leaves nothing behind. The figures, the machine and the request are JSON documents
-- (core/profiling/types.ts ProfileResult); the columns beside them are what the run list shows and sorts by.
CREATE TABLE profile_runs (
  id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  models TEXT NOT NULL,
  providers TEXT NOT NULL,
  cpu_model TEXT NOT NULL,
  load_average REAL NOT NULL,
  result_json TEXT NOT NULL
);
CREATE INDEX profile_runs_finished ON profile_runs (finished_at);
