/**
 * What the What-if page reads and writes in the store: saved scenarios (what_if_scenario) and the logged input of
 * stored production requests, found by request id or listed for a period.
 */
import type Database from 'better-sqlite3';
import { APPLICANT_COLUMNS } from '../core/ingest/applicant-columns.ts';
import type { Store } from './store.ts';

export interface ScenarioRow {
  name: string;
  applicant: Record<string, unknown>;
  origin: string;
  note: string;
  createdAt: number;
  updatedAt: number;
}

export interface StoredRequest {
  requestId: string;
  ts: number;
  status: string;
  modelVersion: string | null;
  servedBy: string | null;
  probability: number | null;
  decision: string | null;
  threshold: number | null;
  /** The logged input: contract columns plus any field kept in input_extra. */
  input: Record<string, unknown>;
}

const INPUT_COLUMNS = APPLICANT_COLUMNS.map((c) => `"${c.name}"`).join(', ');
const REQUEST_COLUMNS = `request_id, ts, status, model_version, served_by, probability, decision, threshold, ${INPUT_COLUMNS}, input_extra`;

type RequestRow = Record<string, unknown> & { request_id: string; ts: number; input_extra: string | null };

function toRequest(row: RequestRow): StoredRequest {
  const input: Record<string, unknown> = {};
  for (const column of APPLICANT_COLUMNS) {
    const value = row[column.name];
    if (value !== null && value !== undefined) input[column.name] = value;
  }
  if (row.input_extra) {
    try {
      Object.assign(input, JSON.parse(row.input_extra) as Record<string, unknown>);
    } catch {
      // A damaged extra is left out; the contract columns are still the record's input.
    }
  }
  return {
    requestId: row.request_id,
    ts: row.ts,
    status: row.status as string,
    modelVersion: (row.model_version as string | null) ?? null,
    servedBy: (row.served_by as string | null) ?? null,
    probability: (row.probability as number | null) ?? null,
    decision: (row.decision as string | null) ?? null,
    threshold: (row.threshold as number | null) ?? null,
    input,
  };
}

export class WhatIfTables {
  private readonly db: Database.Database;
  constructor(store: Store) {
    this.db = store.db;
  }

  listScenarios(): ScenarioRow[] {
    const rows = this.db
      .prepare('SELECT name, applicant, origin, note, created_at, updated_at FROM what_if_scenario ORDER BY name')
      .all() as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      name: r.name as string,
      applicant: JSON.parse(r.applicant as string) as Record<string, unknown>,
      origin: r.origin as string,
      note: r.note as string,
      createdAt: r.created_at as number,
      updatedAt: r.updated_at as number,
    }));
  }

  scenario(name: string): ScenarioRow | null {
    return this.listScenarios().find((s) => s.name === name) ?? null;
  }

  /** Saves or replaces the scenario of that name. */
  saveScenario(
    scenario: { name: string; applicant: Record<string, unknown>; origin: string; note: string },
    now: number,
  ) {
    this.db
      .prepare(
        `INSERT INTO what_if_scenario (name, applicant, origin, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET applicant = excluded.applicant, origin = excluded.origin,
         note = excluded.note, updated_at = excluded.updated_at`,
      )
      .run(scenario.name, JSON.stringify(scenario.applicant), scenario.origin, scenario.note, now, now);
  }

  deleteScenario(name: string): boolean {
    return this.db.prepare('DELETE FROM what_if_scenario WHERE name = ?').run(name).changes > 0;
  }

  findRequest(requestId: string): StoredRequest | null {
    const row = this.db.prepare(`SELECT ${REQUEST_COLUMNS} FROM predictions WHERE request_id = ?`).get(requestId);
    return row ? toRequest(row as RequestRow) : null;
  }

  /** Scored requests of a period, newest first; `search` matches the start of the request id. */
  listRequests(filter: { from?: number; to?: number; search?: string; limit: number; offset: number }): {
    rows: StoredRequest[];
    total: number;
  } {
    const where = ["status = 'ok'", 'ts >= ?', 'ts < ?'];
    const params: unknown[] = [filter.from ?? 0, filter.to ?? Number.MAX_SAFE_INTEGER];
    if (filter.search) {
      where.push("request_id LIKE ? ESCAPE '\\'");
      params.push(`${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    const clause = where.join(' AND ');
    const total = this.db
      .prepare(`SELECT count(*) FROM predictions WHERE ${clause}`)
      .pluck()
      .get(...params) as number;
    const rows = this.db
      .prepare(`SELECT ${REQUEST_COLUMNS} FROM predictions WHERE ${clause} ORDER BY ts DESC LIMIT ? OFFSET ?`)
      .all(...params, filter.limit, filter.offset) as RequestRow[];
    return { rows: rows.map(toRequest), total };
  }

  /**
   * Every scored request's input in a period, in store order, read in pages so no statement stays open across the
   * caller's awaits (better-sqlite3 refuses other statements on a connection while one iterates).
   */
  *iterateInputs(range: { from?: number; to?: number }, pageSize = 5000): Generator<StoredRequest> {
    const statement = this.db.prepare(
      `SELECT id, ${REQUEST_COLUMNS} FROM predictions WHERE status = 'ok' AND ts >= ? AND ts < ? AND id > ?
       ORDER BY id LIMIT ?`,
    );
    let after = 0;
    for (;;) {
      const rows = statement.all(range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER, after, pageSize) as Array<
        RequestRow & { id: number }
      >;
      for (const row of rows) yield toRequest(row);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.id;
    }
  }
}
