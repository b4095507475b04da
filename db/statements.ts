/**
 * Every SQL statement the store runs, by name. Statements are prepared once per connection (see store.ts); the
 * analysis and overview readers build a few filtered variants from these fragments with bound parameters only.
 */
import { COUNTERS, ROLLUP_SOURCE_COLUMNS } from './rollup.ts';

function rollupUpsert(table: string, key: string): string {
  const add = (column: string): string => `${column} = ${column} + excluded.${column}`;
  return `INSERT INTO ${table} (${key}, model_name, model_version, ${COUNTERS.join(', ')},
    latency_sum, latency_hist, probability_hist) VALUES (${Array(COUNTERS.length + 6)
      .fill('?')
      .join(', ')})
    ON CONFLICT (${key}, model_name, model_version) DO UPDATE SET ${[...COUNTERS, 'latency_sum'].map(add).join(', ')},
      latency_hist = vigie_hist_add(latency_hist, excluded.latency_hist),
      probability_hist = vigie_hist_add(probability_hist, excluded.probability_hist)`;
}

const SOURCE_COLUMNS = `id, kind, location, sha256, size, mtime_ms AS mtimeMs, status, cursor, lines, inserted, duplicates,
  quarantined, error, created_at AS createdAt, updated_at AS updatedAt`;

export const SQL = {
  // Records are written by db/chunk-writer.ts (narrow rows + column chunks, migration 0007).
  allPredictionsForRollup: `SELECT ${ROLLUP_SOURCE_COLUMNS} FROM predictions`,

  // A cell already stored gets the new counts added in place (vigie_hist_add: db/rollup.ts), one statement a cell.
  upsertRollupCell: rollupUpsert('rollup_minute', 'minute'),
  upsertRollupHour: rollupUpsert('rollup_hour', 'hour'),
  allMinuteRollups: `SELECT minute, model_name, model_version, ${COUNTERS.join(', ')}, latency_sum, latency_hist,
    probability_hist FROM rollup_minute`,
  hasMinuteRollups: 'SELECT EXISTS (SELECT 1 FROM rollup_minute)',
  hasHourRollups: 'SELECT EXISTS (SELECT 1 FROM rollup_hour)',
  deleteRollups: 'DELETE FROM rollup_minute',
  deleteHourRollups: 'DELETE FROM rollup_hour',

  insertQuarantine: `INSERT OR IGNORE INTO quarantine (source_id, line_no, reason, detail, excerpt)
    VALUES (?, ?, ?, ?, ?)`,

  sourceById: `SELECT ${SOURCE_COLUMNS} FROM sources WHERE id = ?`,
  fileSourceByStat: `SELECT ${SOURCE_COLUMNS} FROM sources
    WHERE kind = 'file' AND location = ? AND size = ? AND mtime_ms = ? AND status = 'complete'`,
  fileSourceByHash: `SELECT ${SOURCE_COLUMNS} FROM sources WHERE kind = 'file' AND sha256 = ? AND size = ?`,
  namedSource: `SELECT ${SOURCE_COLUMNS} FROM sources WHERE kind = ? AND location = ?`,
  insertSource: `INSERT INTO sources (kind, location, sha256, size, mtime_ms, status, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, 'partial', ?, ?)`,
  touchFileSource: 'UPDATE sources SET location = ?, mtime_ms = ?, updated_at = ? WHERE id = ?',
  advanceSource: `UPDATE sources SET lines = lines + ?, inserted = inserted + ?, duplicates = duplicates + ?,
    quarantined = quarantined + ?, cursor = coalesce(?, cursor), updated_at = ? WHERE id = ?`,
  setSourceStatus: 'UPDATE sources SET status = ?, error = ?, updated_at = ? WHERE id = ?',
  listSources: `SELECT ${SOURCE_COLUMNS} FROM sources ORDER BY id`,

  countQuarantine: `SELECT count(*) FROM quarantine
    WHERE (@sourceId IS NULL OR source_id = @sourceId) AND (@reason IS NULL OR reason = @reason)`,
  pageQuarantine: `SELECT q.id, q.source_id AS sourceId, s.location, q.line_no AS lineNo, q.reason, q.detail, q.excerpt
    FROM quarantine q JOIN sources s ON s.id = q.source_id
    WHERE (@sourceId IS NULL OR q.source_id = @sourceId) AND (@reason IS NULL OR q.reason = @reason)
    ORDER BY q.source_id, q.line_no LIMIT @limit OFFSET @offset`,
  quarantineReasons: 'SELECT reason, count(*) AS count FROM quarantine GROUP BY reason ORDER BY reason',

  insertRun: `INSERT INTO import_runs (kind, started_at, finished_at, status, sources, lines, inserted, duplicates,
    quarantined, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  listRuns: `SELECT id, kind, started_at AS startedAt, finished_at AS finishedAt, status, sources, lines, inserted,
    duplicates, quarantined, summary FROM import_runs ORDER BY id DESC LIMIT ?`,

  insertLabel: `INSERT INTO labels (request_id, applicant_ref, outcome, observed_at, source) VALUES (?, ?, ?, ?, ?)`,
  countLabels: 'SELECT count(*) FROM labels',

  insertAnalysisResult: 'INSERT INTO analysis_results (kind, params, result, created_at) VALUES (?, ?, ?, ?)',
  listAnalysisResults: `SELECT id, kind, params, created_at AS createdAt FROM analysis_results
    WHERE (@kind IS NULL OR kind = @kind) ORDER BY id DESC LIMIT @limit`,
  analysisResultById: `SELECT id, kind, params, result, created_at AS createdAt FROM analysis_results WHERE id = ?`,

  // Two subqueries: SQLite answers a lone min() or max() from the index, but scans it for both in one query.
  timeBounds: 'SELECT (SELECT min(ts) FROM prediction_rows), (SELECT max(ts) FROM prediction_rows)',
  // The hourly rollup counts exactly the rows inserted, and is hundreds of rows where the table is millions.
  countPredictions: 'SELECT coalesce(sum(requests), 0) FROM rollup_hour',
} as const;

export type StatementName = keyof typeof SQL;
