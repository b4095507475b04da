/**
 * Outcomes in the store (migration 0006-outcomes-alerts.sql): the OutcomeTarget `core/outcomes` writes through, and
 * the joined rows `core/analysis/performance` reads. Outcomes join predictions by request id, or by the applicant
 * reference (the API's keyed hash of SK_ID_CURR) when they were keyed by applicant; no raw SK_ID_CURR is ever stored.
 */
import type Database from 'better-sqlite3';
import type {
  OutcomeBatchResult,
  OutcomeConflict,
  OutcomeFile,
  OutcomeQuarantine,
  OutcomeRow,
  OutcomeTarget,
  UnmatchedOutcome,
} from '../core/outcomes/index.ts';
import type { LabelledRows, OutcomeCounts, PerformanceSource } from '../core/analysis/performance/index.ts';

const SQL = {
  beginImport: `INSERT INTO label_imports (location, sha256, size, key_kind, status, started_at)
    VALUES (?, ?, ?, ?, 'partial', ?)`,
  advanceImport: `UPDATE label_imports SET lines = lines + ?, inserted = inserted + ?, duplicates = duplicates + ?,
    conflicts = conflicts + ?, unmatched = unmatched + ?, quarantined = quarantined + ? WHERE id = ?`,
  finishImport: 'UPDATE label_imports SET status = ?, error = ?, finished_at = ? WHERE id = ?',
  insertLabel: `INSERT OR IGNORE INTO labels (request_id, applicant_ref, outcome, observed_at, source)
    VALUES (?, ?, ?, ?, ?)`,
  outcomeByRequest: 'SELECT outcome FROM labels WHERE request_id = ?',
  outcomeByApplicant: 'SELECT outcome FROM labels WHERE request_id IS NULL AND applicant_ref = ?',
  insertConflict: `INSERT OR IGNORE INTO label_conflicts (import_id, line_no, request_id, applicant_ref, stored_outcome,
    new_outcome, observed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  insertQuarantine: `INSERT OR IGNORE INTO label_quarantine (import_id, line_no, reason, detail, excerpt)
    VALUES (?, ?, ?, ?, ?)`,
  predictionExists: 'SELECT EXISTS (SELECT 1 FROM predictions WHERE request_id = ?)',
  knownApplicants: `SELECT DISTINCT applicant_ref FROM predictions
    WHERE applicant_ref IN (SELECT value FROM json_each(?))`,
  // Only the champion's own answers, once per applicant: a cache hit repeats an earlier answer to the same request.
  labelledRows: `SELECT p.ts, p.probability, p.threshold, coalesce(lr.outcome, la.outcome, -1) AS outcome,
      coalesce(lr.observed_at, la.observed_at) AS observed_at, p."CODE_GENDER", p."NAME_CONTRACT_TYPE",
      p."DAYS_BIRTH", p.model_name, p.model_version
    FROM predictions p
    LEFT JOIN labels lr ON lr.request_id = p.request_id
    LEFT JOIN labels la ON la.request_id IS NULL AND la.applicant_ref = p.applicant_ref
    WHERE p.status = 'ok' AND p.served_by = 'champion' AND p.cache_hit = 0 AND p.probability IS NOT NULL
      AND p.ts >= @from AND p.ts < @to
    ORDER BY p.ts`,
  countLabels: 'SELECT count(*) FROM labels',
  predictionBounds: 'SELECT (SELECT min(ts) FROM predictions), (SELECT max(ts) FROM predictions)',
  unmatchedByRequest: `SELECT count(*) FROM labels l WHERE l.request_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.request_id = l.request_id)`,
  countConflicts: 'SELECT count(*) FROM label_conflicts',
  listConflicts: `SELECT line_no AS lineNo, request_id AS requestId, applicant_ref AS applicantRef,
    stored_outcome AS storedOutcome, new_outcome AS newOutcome FROM label_conflicts ORDER BY id LIMIT ?`,
  listImports: `SELECT id, location, key_kind AS keyKind, status, lines, inserted, duplicates, conflicts, unmatched,
    quarantined, started_at AS startedAt, finished_at AS finishedAt FROM label_imports ORDER BY id DESC LIMIT ?`,
} as const;

export interface LabelImportRow {
  id: number;
  location: string;
  keyKind: string;
  status: string;
  lines: number;
  inserted: number;
  duplicates: number;
  conflicts: number;
  unmatched: number;
  quarantined: number;
  startedAt: number;
  finishedAt: number | null;
}

type Statements = { [K in keyof typeof SQL]: Database.Statement };

export class OutcomeTable implements OutcomeTarget, PerformanceSource {
  private readonly stmt: Statements;

  constructor(private readonly db: Database.Database) {
    this.stmt = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Statements;
  }

  beginOutcomeImport(file: OutcomeFile): number {
    const info = this.stmt.beginImport.run(file.location, file.sha256, file.size, file.key, Date.now());
    return Number(info.lastInsertRowid);
  }

  writeOutcomes(importId: number, rows: OutcomeRow[], quarantined: OutcomeQuarantine[]): OutcomeBatchResult {
    return this.db.transaction(() => {
      const result: OutcomeBatchResult = { inserted: 0, duplicates: 0, conflicts: [], unmatched: [] };
      for (const bad of quarantined) {
        this.stmt.insertQuarantine.run(importId, bad.lineNo, bad.reason, bad.detail, bad.excerpt);
      }
      const source = `label-import:${importId}`;
      const insertedByApplicant: OutcomeRow[] = [];
      for (const row of rows) {
        const info = this.stmt.insertLabel.run(row.requestId, row.applicantRef, row.outcome, row.observedAt, source);
        if (info.changes === 1) {
          result.inserted += 1;
          if (row.requestId !== null) {
            if (this.stmt.predictionExists.pluck().get(row.requestId) === 0) result.unmatched.push(unmatched(row));
          } else insertedByApplicant.push(row);
          continue;
        }
        const stored = (
          row.requestId !== null
            ? this.stmt.outcomeByRequest.pluck().get(row.requestId)
            : this.stmt.outcomeByApplicant.pluck().get(row.applicantRef)
        ) as 0 | 1;
        if (stored === row.outcome) {
          result.duplicates += 1;
          continue;
        }
        const conflict: OutcomeConflict = {
          lineNo: row.lineNo,
          requestId: row.requestId,
          applicantRef: row.applicantRef,
          storedOutcome: stored,
          newOutcome: row.outcome,
        };
        this.stmt.insertConflict.run(
          importId,
          row.lineNo,
          row.requestId,
          row.applicantRef,
          stored,
          row.outcome,
          row.observedAt,
        );
        result.conflicts.push(conflict);
      }
      if (insertedByApplicant.length > 0) {
        const refs = insertedByApplicant.map((row) => row.applicantRef);
        const known = new Set(this.stmt.knownApplicants.pluck().all(JSON.stringify(refs)) as string[]);
        for (const row of insertedByApplicant) if (!known.has(row.applicantRef!)) result.unmatched.push(unmatched(row));
      }
      this.stmt.advanceImport.run(
        rows.length + quarantined.length,
        result.inserted,
        result.duplicates,
        result.conflicts.length,
        result.unmatched.length,
        quarantined.length,
        importId,
      );
      return result;
    })();
  }

  finishOutcomeImport(importId: number, status: 'complete' | 'failed', error: string | null = null): void {
    this.stmt.finishImport.run(status, error, Date.now(), importId);
  }

  labelledRows(from: number, to: number): LabelledRows {
    const rows = this.stmt.labelledRows.raw().all({ from, to }) as Array<
      [
        number,
        number,
        number | null,
        number,
        number | null,
        string | null,
        string | null,
        number | null,
        string,
        string,
      ]
    >;
    const n = rows.length;
    const out: LabelledRows = {
      count: n,
      ts: new Float64Array(n),
      probability: new Float64Array(n),
      threshold: new Float64Array(n),
      outcome: new Int8Array(n),
      observedAt: new Float64Array(n),
      gender: new Array<string | null>(n),
      contract: new Array<string | null>(n),
      daysBirth: new Float64Array(n),
      models: [],
    };
    const models = new Set<string>();
    rows.forEach((row, i) => {
      out.ts[i] = row[0];
      out.probability[i] = row[1];
      out.threshold[i] = row[2] ?? Number.NaN;
      out.outcome[i] = row[3];
      out.observedAt[i] = row[4] ?? Number.NaN;
      out.gender[i] = row[5];
      out.contract[i] = row[6];
      out.daysBirth[i] = row[7] ?? Number.NaN;
      models.add(`${row[8]}@${row[9]}`);
    });
    out.models = [...models].map((text) => {
      const [name, version] = text.split('@') as [string, string];
      return { name, version };
    });
    return out;
  }

  outcomeCounts(): OutcomeCounts {
    return {
      labels: this.stmt.countLabels.pluck().get() as number,
      unmatchedByRequest: this.stmt.unmatchedByRequest.pluck().get() as number,
      conflicts: this.stmt.countConflicts.pluck().get() as number,
    };
  }

  predictionBounds(): { from: number; to: number } | null {
    const [from, to] = this.stmt.predictionBounds.raw().get() as [number | null, number | null];
    return from === null || to === null ? null : { from, to };
  }

  listConflicts(limit = 100): OutcomeConflict[] {
    return this.stmt.listConflicts.all(limit) as OutcomeConflict[];
  }

  listImports(limit = 20): LabelImportRow[] {
    return this.stmt.listImports.all(limit) as LabelImportRow[];
  }
}

function unmatched(row: OutcomeRow): UnmatchedOutcome {
  return { lineNo: row.lineNo, requestId: row.requestId, applicantRef: row.applicantRef };
}
