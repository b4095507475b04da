-- Hourly drift sketches (db/drift-sketch.ts, core/analysis/drift/sketch*.ts): per hour of scored records, the counts
-- PSI, chi-square and Jensen-Shannon need against one reference (its PSI bins per number field, the schema's
-- categories per category field, missing and out-of-range counts), so the console's Drift page sums a few hundred
-- rows for any period instead of reading a million records. Built lazily by the console's analysis worker.
-- reference_key: the reference and the counts layout (drift_sketch_layout); hour: epoch hours; records: the hour's
-- scored (status ok) records when it was counted, compared with rollup_hour.ok so an hour that gained records since
-- (a late import) is counted again; counts: float64 little-endian in the layout's order; unseen: JSON
-- {field: {category: count}} for categories outside the schema, NULL when none.
CREATE TABLE drift_sketch (
  reference_key TEXT NOT NULL,
  hour INTEGER NOT NULL,
  records INTEGER NOT NULL,
  first_ts INTEGER,
  last_ts INTEGER,
  counts BLOB NOT NULL,
  unseen TEXT,
  built_at INTEGER NOT NULL,
  PRIMARY KEY (reference_key, hour)
) WITHOUT ROWID;

-- The layout of each reference_key (JSON: fields with their offsets, edges and categories), so the counts can be read
-- without the model package that defined them.
CREATE TABLE drift_sketch_layout (
  reference_key TEXT PRIMARY KEY,
  layout TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
