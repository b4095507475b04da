/**
 * The stored hourly drift sketches (migration 0003): read the hours of a period, see which are missing or stale
 * against the hourly rollup's count of scored records, and save rebuilt hours in one transaction. The counts are
 * opaque here: their layout belongs to the reference key (core/analysis/drift/sketch-layout.ts).
 */
import Database from 'better-sqlite3';
import type { SketchStore, StoredSketch } from '../core/analysis/index.ts';

export type { StoredSketch };

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function countsToBlob(counts: Float64Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(counts.buffer, counts.byteOffset, counts.byteLength);
  const out = Buffer.allocUnsafe(counts.length * 8);
  for (let i = 0; i < counts.length; i++) out.writeDoubleLE(counts[i]!, i * 8);
  return out;
}

function blobToCounts(blob: Buffer): Float64Array {
  const out = new Float64Array(blob.length >>> 3);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(blob.subarray(0, out.length * 8));
  else for (let i = 0; i < out.length; i++) out[i] = blob.readDoubleLE(i * 8);
  return out;
}

function unseenToJson(unseen: StoredSketch['unseen']): string | null {
  if (unseen.size === 0) return null;
  return JSON.stringify(Object.fromEntries([...unseen].map(([field, labels]) => [field, Object.fromEntries(labels)])));
}

function unseenFromJson(text: string | null): StoredSketch['unseen'] {
  const unseen: StoredSketch['unseen'] = new Map();
  if (!text) return unseen;
  const parsed = JSON.parse(text) as Record<string, Record<string, number>>;
  for (const [field, labels] of Object.entries(parsed)) unseen.set(field, new Map(Object.entries(labels)));
  return unseen;
}

const HOUR_MS = 3_600_000;

export class DriftSketchTable implements SketchStore {
  private readonly selectHours: Database.Statement;
  private readonly selectScored: Database.Statement;
  private readonly upsert: Database.Statement | null;
  private readonly upsertLayout: Database.Statement | null;

  /** `db` reads; `writer` (the same or another connection to the file) saves, and without one nothing is saved. */
  constructor(
    db: Database.Database,
    private readonly writer: Database.Database | null = db,
  ) {
    this.selectHours = db.prepare(
      `SELECT hour, records, first_ts, last_ts, counts, unseen FROM drift_sketch
       WHERE reference_key = ? AND hour >= ? AND hour < ? ORDER BY hour`,
    );
    this.selectScored = db.prepare(
      'SELECT hour, SUM(ok) FROM rollup_hour WHERE hour >= ? AND hour < ? GROUP BY hour HAVING SUM(ok) > 0 ORDER BY hour',
    );
    this.upsert =
      writer?.prepare(
        `INSERT INTO drift_sketch (reference_key, hour, records, first_ts, last_ts, counts, unseen, built_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (reference_key, hour) DO UPDATE SET records = excluded.records, first_ts = excluded.first_ts,
           last_ts = excluded.last_ts, counts = excluded.counts, unseen = excluded.unseen, built_at = excluded.built_at`,
      ) ?? null;
    this.upsertLayout =
      writer?.prepare(
        `INSERT INTO drift_sketch_layout (reference_key, layout, created_at) VALUES (?, ?, ?)
         ON CONFLICT (reference_key) DO NOTHING`,
      ) ?? null;
  }

  /** Scored (status ok) records per epoch hour in [fromHour, toHour), hours without any left out. */
  scoredPerHour(fromHour: number, toHour: number): Map<number, number> {
    const rows = this.selectScored.raw().all(fromHour, toHour) as Array<[number, number]>;
    return new Map(rows);
  }

  /** The stored sketches of `key` for the hours [fromHour, toHour). */
  read(key: string, fromHour: number, toHour: number): StoredSketch[] {
    const rows = this.selectHours.raw().all(key, fromHour, toHour) as Array<
      [number, number, number | null, number | null, Buffer, string | null]
    >;
    return rows.map(([hour, records, first, last, counts, unseen]) => ({
      hour,
      records,
      first,
      last,
      counts: blobToCounts(counts),
      unseen: unseenFromJson(unseen),
    }));
  }

  /**
   * Saves (replacing) sketches of `key` in one transaction; `layout` documents the counts' order. False when this
   * table has no writer.
   */
  save(key: string, layout: unknown, sketches: readonly StoredSketch[]): boolean {
    const { writer, upsert, upsertLayout } = this;
    if (!writer || !upsert || !upsertLayout) return false;
    const now = Date.now();
    writer.transaction(() => {
      upsertLayout.run(key, JSON.stringify(layout), now);
      for (const s of sketches) {
        upsert.run(key, s.hour, s.records, s.first, s.last, countsToBlob(s.counts), unseenToJson(s.unseen), now);
      }
    })();
    return true;
  }
}

/**
 * A connection that only writes sketches, beside a read-only store: it runs no migrations and touches no other
 * table. Waits up to `busyMs` for an import's write transaction to finish.
 */
export function openSketchWriter(file: string, busyMs = 5000): Database.Database {
  const db = new Database(file, { fileMustExist: true, timeout: busyMs });
  db.pragma('synchronous = NORMAL');
  return db;
}

/** The epoch hour of a time in milliseconds. */
export function epochHour(ts: number): number {
  return Math.floor(ts / HOUR_MS);
}
