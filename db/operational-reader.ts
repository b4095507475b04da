/**
 * Reads what operational anomaly detection needs (time, status, latency, degraded flag of every record) as columns,
 * the way db/column-reader.ts reads the input fields: a function registered on the connection receives each row's
 * values as call arguments and writes them into typed arrays, then the rows are put in (ts, id) order.
 */
import type Database from 'better-sqlite3';
import { STATUS_CODES, type OperationalData, type TimeRange } from '../core/analysis/source.ts';
import { buildWhere, scanBounds } from './column-reader.ts';
import { putInTimeOrder } from './time-order.ts';

const ROW_FUNCTION = 'vigie_operational_row';

const STATUS_CODE_SQL = `CASE status ${Object.entries(STATUS_CODES)
  .map(([name, code]) => `WHEN '${name}' THEN ${code}`)
  .join(' ')} ELSE ${STATUS_CODES.error} END`;

class OperationalSink {
  ts = new Float64Array(0);
  ids = new Float64Array(0);
  status = new Uint8Array(0);
  latencyMs = new Float64Array(0);
  degraded = new Uint8Array(0);
  next = 0;

  begin(count: number): void {
    this.ts = new Float64Array(count);
    this.ids = new Float64Array(count);
    this.status = new Uint8Array(count);
    this.latencyMs = new Float64Array(count);
    this.degraded = new Uint8Array(count);
    this.next = 0;
  }

  row(ts: unknown, id: unknown, status: unknown, latency: unknown, degraded: unknown): number {
    const i = this.next;
    if (i >= this.ts.length) return 0;
    this.ts[i] = ts as number;
    this.ids[i] = id as number;
    this.status[i] = status as number;
    this.latencyMs[i] = typeof latency === 'number' ? latency : NaN;
    this.degraded[i] = degraded === 1 ? 1 : 0;
    this.next = i + 1;
    return 1;
  }
}

const sinks = new WeakMap<Database.Database, OperationalSink>();

function sinkOf(db: Database.Database): OperationalSink {
  let sink = sinks.get(db);
  if (!sink) {
    const created = new OperationalSink();
    db.function(ROW_FUNCTION, { directOnly: true }, (ts, id, status, latency, degraded) =>
      created.row(ts, id, status, latency, degraded),
    );
    sinks.set(db, created);
    sink = created;
  }
  return sink;
}

export function readOperational(db: Database.Database, filter: TimeRange): OperationalData {
  return db.transaction(() => {
    const bounds = scanBounds(db, filter);
    const sink = sinkOf(db);
    sink.begin(bounds.count);
    if (bounds.count > 0) {
      const where = buildWhere({ from: filter.from, to: filter.to }, bounds.byRowid ? '+ts' : 'ts');
      const ids = bounds.byRowid ? 'id BETWEEN ? AND ?' : '+id BETWEEN ? AND ?';
      db.prepare(
        `SELECT count(${ROW_FUNCTION}(ts, id, ${STATUS_CODE_SQL}, latency_total_ms, degraded = 1)) FROM predictions
        ${where.sql ? `${where.sql} AND ${ids}` : `WHERE ${ids}`}`,
      )
        .pluck()
        .get(...where.params, bounds.lo, bounds.hi);
    }
    const { ts, ids, status, latencyMs, degraded, next: count } = sink;
    sink.begin(0);
    putInTimeOrder([ts, status, latencyMs, degraded], ts, ids, 0, count);
    return {
      count,
      ts: ts.subarray(0, count),
      status: status.subarray(0, count),
      latencyMs: latencyMs.subarray(0, count),
      degraded: degraded.subarray(0, count),
    };
  })();
}
