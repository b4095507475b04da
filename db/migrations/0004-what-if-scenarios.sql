-- Named what-if scenarios (docs/what-if.md): an applicant as the What-if page holds it, saved to be reloaded or
-- exported. applicant: JSON object of field values (validated against the champion's schema when saved and again
-- when loaded, since the schema may have changed since); origin: where the applicant came from (reference medians,
-- a golden applicant, a stored request id), for the record.
CREATE TABLE what_if_scenario (
  name TEXT PRIMARY KEY,
  applicant TEXT NOT NULL,
  origin TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
