/**
 * The store's bookkeeping as the console and CLI list it: sources, quarantined lines (paged), import history,
 * labels and saved analysis results.
 */
import type Database from 'better-sqlite3';
import type { SourceRow } from '../core/ingest/target.ts';
import type { SQL } from './statements.ts';

type Statements = { [K in keyof typeof SQL]: Database.Statement };

export interface QuarantineRow {
  id: number;
  sourceId: number;
  location: string;
  lineNo: number;
  reason: string;
  detail: string;
  excerpt: string;
}

export interface QuarantinePage {
  total: number;
  rows: QuarantineRow[];
}

export interface ImportRunRow {
  id: number;
  kind: string;
  startedAt: number;
  finishedAt: number;
  status: string;
  sources: number;
  lines: number;
  inserted: number;
  duplicates: number;
  quarantined: number;
  summary: unknown;
}

export interface Label {
  requestId?: string | null;
  applicantRef?: string | null;
  /** 1 when the applicant defaulted, 0 when not. */
  outcome: 0 | 1;
  observedAt: number;
  source?: string | null;
}

export interface AnalysisResultRow {
  id: number;
  kind: string;
  params: unknown;
  createdAt: number;
  result?: unknown;
}

export class Catalog {
  constructor(
    private readonly db: Database.Database,
    private readonly stmt: Statements,
  ) {}

  listSources(): SourceRow[] {
    return this.stmt.listSources.all() as SourceRow[];
  }

  /** Quarantined lines in source and line order; `limit` defaults to 100 (at most 1000). */
  listQuarantine(
    options: { sourceId?: number; reason?: string; limit?: number; offset?: number } = {},
  ): QuarantinePage {
    const sourceId = options.sourceId ?? null;
    const reason = options.reason ?? null;
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    const offset = Math.max(options.offset ?? 0, 0);
    const total = this.stmt.countQuarantine.pluck().get({ sourceId, reason }) as number;
    const rows = this.stmt.pageQuarantine.all({ sourceId, reason, limit, offset }) as QuarantineRow[];
    return { total, rows };
  }

  quarantineByReason(): Record<string, number> {
    const rows = this.stmt.quarantineReasons.all() as Array<{ reason: string; count: number }>;
    return Object.fromEntries(rows.map((r) => [r.reason, r.count]));
  }

  /** The latest import runs first; `limit` defaults to 50. */
  importHistory(limit = 50): ImportRunRow[] {
    const rows = this.stmt.listRuns.all(Math.max(1, limit)) as Array<ImportRunRow & { summary: string }>;
    return rows.map((row) => ({ ...row, summary: JSON.parse(row.summary) as unknown }));
  }

  addLabels(labels: Iterable<Label>): number {
    return this.db.transaction(() => {
      let count = 0;
      for (const label of labels) {
        this.stmt.insertLabel.run(
          label.requestId ?? null,
          label.applicantRef ?? null,
          label.outcome,
          label.observedAt,
          label.source ?? null,
        );
        count++;
      }
      return count;
    })();
  }

  countLabels(): number {
    return this.stmt.countLabels.pluck().get() as number;
  }

  saveAnalysisResult(kind: string, params: unknown, result: unknown): number {
    const info = this.stmt.insertAnalysisResult.run(kind, JSON.stringify(params), JSON.stringify(result), Date.now());
    return Number(info.lastInsertRowid);
  }

  listAnalysisResults(options: { kind?: string; limit?: number } = {}): AnalysisResultRow[] {
    const rows = this.stmt.listAnalysisResults.all({ kind: options.kind ?? null, limit: options.limit ?? 50 }) as Array<
      AnalysisResultRow & { params: string }
    >;
    return rows.map((row) => ({ ...row, params: JSON.parse(row.params) as unknown }));
  }

  getAnalysisResult(id: number): AnalysisResultRow | null {
    const row = this.stmt.analysisResultById.get(id) as
      (AnalysisResultRow & { params: string; result: string }) | undefined;
    if (!row) return null;
    return { ...row, params: JSON.parse(row.params) as unknown, result: JSON.parse(row.result) as unknown };
  }
}
