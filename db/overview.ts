/**
 * The console's Overview page over a time range: traffic per bucket by status, approval, fallback and error rates,
 * latency percentiles, the probability histogram, model versions in traffic and totals. Everything reads the
 * per-minute rollup (db/rollup.ts), never the predictions table, so it costs the same for 1 000 or 10 000 000
 * records; range ends are rounded outwards to whole minutes.
 */
import type Database from 'better-sqlite3';
import { addBlob, COUNTERS, LATENCY_BINS, latencyQuantile, PROBABILITY_BINS } from './rollup.ts';

export type BucketSize = 'minute' | 'hour' | 'day';

export interface OverviewQuery {
  /** Epoch ms, inclusive; absent: the first stored record. */
  from?: number;
  /** Epoch ms, exclusive; absent: after the last stored record. */
  to?: number;
  /** @default 'hour' */
  bucket?: BucketSize;
}

export interface TrafficStats {
  requests: number;
  ok: number;
  invalid: number;
  rejected: number;
  error: number;
  degraded: number;
  servedFallback: number;
  servedRules: number;
  cacheHits: number;
  /** Requests that got a probability and a decision. */
  decided: number;
  approved: number;
  /** approved / decided; null when nothing was decided. */
  approvalRate: number | null;
  /** degraded / ok: answers from the fallback model or the rules. */
  fallbackRate: number | null;
  errorRate: number | null;
  invalidRate: number | null;
  rejectedRate: number | null;
  latencyMeanMs: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
}

export interface BucketStats extends TrafficStats {
  /** Bucket start, epoch ms (UTC). */
  start: number;
}

export interface ModelInTraffic {
  name: string;
  version: string;
  requests: number;
  firstSeen: number;
  lastSeen: number;
}

export interface OverviewResult {
  from: number | null;
  to: number | null;
  bucket: BucketSize;
  buckets: BucketStats[];
  totals: TrafficStats;
  /** 20 bins of width 0.05 over [0, 1]: edges has 21 values. */
  probabilityHistogram: { edges: number[]; counts: number[] };
  models: ModelInTraffic[];
}

const BUCKET_MINUTES: Record<BucketSize, number> = { minute: 1, hour: 60, day: 1440 };
/** A range that would need more buckets than this is refused: pick a larger bucket. */
export const MAX_BUCKETS = 20_000;

const cellsSql = (table: string, key: string): string =>
  `SELECT ${key}, ${COUNTERS.join(', ')}, latency_sum, latency_hist, probability_hist
  FROM ${table} WHERE ${key} >= ? AND ${key} < ?`;
const SELECT_MINUTES = cellsSql('rollup_minute', 'minute');
const SELECT_HOURS = cellsSql('rollup_hour', 'hour');
/** Requests per model: whole hours [firstHour, endHour) from the hourly rollup, the minutes of the range around them. */
const SELECT_MODELS = `SELECT name, version, sum(requests) AS requests FROM (
    SELECT model_name AS name, model_version AS version, requests FROM rollup_minute
      WHERE minute >= @fromMinute AND minute < @toMinute AND (minute < @firstHour * 60 OR minute >= @endHour * 60)
    UNION ALL
    SELECT model_name, model_version, requests FROM rollup_hour WHERE hour >= @firstHour AND hour < @endHour
  ) WHERE name <> '' GROUP BY name, version ORDER BY requests DESC, name, version`;
const FIRST_MINUTE = `SELECT minute FROM rollup_minute
  WHERE minute >= ? AND minute < ? AND model_name = ? AND model_version = ? ORDER BY minute LIMIT 1`;
const LAST_MINUTE = `SELECT minute FROM rollup_minute
  WHERE minute >= ? AND minute < ? AND model_name = ? AND model_version = ? ORDER BY minute DESC LIMIT 1`;
// Two subqueries: SQLite answers a lone min() or max() from the index, but scans for both in one query.
const SELECT_BOUNDS = 'SELECT (SELECT min(minute) FROM rollup_minute), (SELECT max(minute) FROM rollup_minute)';

class Accumulator {
  readonly counts = new Float64Array(COUNTERS.length);
  latencySum = 0;
  readonly latencyHist = new Float64Array(LATENCY_BINS);

  stats(): TrafficStats {
    const [
      requests,
      ok,
      invalid,
      rejected,
      error,
      degraded,
      servedFallback,
      servedRules,
      cacheHits,
      decided,
      approved,
      latencyN,
    ] = Array.from(this.counts);
    const rate = (n: number, d: number): number | null => (d > 0 ? n / d : null);
    return {
      requests: requests!,
      ok: ok!,
      invalid: invalid!,
      rejected: rejected!,
      error: error!,
      degraded: degraded!,
      servedFallback: servedFallback!,
      servedRules: servedRules!,
      cacheHits: cacheHits!,
      decided: decided!,
      approved: approved!,
      approvalRate: rate(approved!, decided!),
      fallbackRate: rate(degraded!, ok!),
      errorRate: rate(error!, requests!),
      invalidRate: rate(invalid!, requests!),
      rejectedRate: rate(rejected!, requests!),
      latencyMeanMs: rate(this.latencySum, latencyN!),
      latencyP50Ms: latencyQuantile(this.latencyHist, 0.5),
      latencyP95Ms: latencyQuantile(this.latencyHist, 0.95),
      latencyP99Ms: latencyQuantile(this.latencyHist, 0.99),
    };
  }
}

export class Overview {
  constructor(private readonly db: Database.Database) {}

  /** [first, last] stored minute, or null when nothing is stored. */
  private minuteRange(query: OverviewQuery): [number, number] | null {
    const [first, last] = this.db.prepare(SELECT_BOUNDS).raw().get() as [number | null, number | null];
    if (first === null || last === null) {
      if (query.from === undefined || query.to === undefined) return null;
    }
    const from = query.from !== undefined ? Math.floor(query.from / 60_000) : first!;
    const to = query.to !== undefined ? Math.ceil(query.to / 60_000) : last! + 1;
    return [from, Math.max(from, to)];
  }

  /** Everything the Overview page shows, in one pass over the rollup. */
  query(query: OverviewQuery = {}): OverviewResult {
    const bucket = query.bucket ?? 'hour';
    const width = BUCKET_MINUTES[bucket];
    const edges = Array.from({ length: PROBABILITY_BINS + 1 }, (_, i) => i / PROBABILITY_BINS);
    const range = this.minuteRange(query);
    if (!range) {
      return {
        from: null,
        to: null,
        bucket,
        buckets: [],
        totals: new Accumulator().stats(),
        probabilityHistogram: { edges, counts: new Array(PROBABILITY_BINS).fill(0) },
        models: [],
      };
    }
    const [fromMinute, toMinute] = range;
    const firstBucket = Math.floor(fromMinute / width);
    const bucketCount = Math.ceil(toMinute / width) - firstBucket;
    if (bucketCount > MAX_BUCKETS) {
      throw new RangeError(
        `the range needs ${bucketCount} ${bucket} buckets (at most ${MAX_BUCKETS}); use a larger bucket`,
      );
    }
    const accumulators: Accumulator[] = Array.from({ length: bucketCount }, () => new Accumulator());
    const totals = new Accumulator();
    const probability = new Float64Array(PROBABILITY_BINS);
    const n = COUNTERS.length;
    const add = (rows: IterableIterator<unknown[]>, minutesPerKey: number): void => {
      for (const row of rows) {
        const acc = accumulators[Math.floor(((row[0] as number) * minutesPerKey) / width) - firstBucket]!;
        for (let i = 0; i < n; i++) {
          const value = row[i + 1] as number;
          acc.counts[i]! += value;
          totals.counts[i]! += value;
        }
        acc.latencySum += row[n + 1] as number;
        totals.latencySum += row[n + 1] as number;
        addBlob(acc.latencyHist, row[n + 2] as Buffer);
        addBlob(probability, row[n + 3] as Buffer);
      }
    };
    const minutes = (from: number, to: number): void => {
      if (from < to) add(this.db.prepare(SELECT_MINUTES).raw().iterate(from, to) as IterableIterator<unknown[]>, 1);
    };
    // Whole hours come from the hourly rollup (an hour never straddles an hour or day bucket); the ragged ends of
    // the range, and minute buckets, from the per-minute one.
    const firstHour = Math.ceil(fromMinute / 60);
    const endHour = Math.floor(toMinute / 60);
    if (width >= 60 && firstHour < endHour) {
      minutes(fromMinute, firstHour * 60);
      add(this.db.prepare(SELECT_HOURS).raw().iterate(firstHour, endHour) as IterableIterator<unknown[]>, 60);
      minutes(endHour * 60, toMinute);
    } else {
      minutes(fromMinute, toMinute);
    }
    for (const acc of accumulators) {
      for (let i = 0; i < LATENCY_BINS; i++) totals.latencyHist[i]! += acc.latencyHist[i]!;
    }
    const models = this.models(fromMinute, toMinute, width >= 60 ? firstHour : 0, width >= 60 ? endHour : 0);
    return {
      from: fromMinute * 60_000,
      to: toMinute * 60_000,
      bucket,
      buckets: accumulators.map((acc, i) => ({ start: (firstBucket + i) * width * 60_000, ...acc.stats() })),
      totals: totals.stats(),
      probabilityHistogram: { edges, counts: Array.from(probability) },
      models,
    };
  }

  private models(fromMinute: number, toMinute: number, firstHour: number, endHour: number): ModelInTraffic[] {
    const hours = firstHour < endHour ? { firstHour, endHour } : { firstHour: 0, endHour: 0 };
    const rows = this.db.prepare(SELECT_MODELS).all({ fromMinute, toMinute, ...hours }) as Array<{
      name: string;
      version: string;
      requests: number;
    }>;
    const first = this.db.prepare(FIRST_MINUTE).pluck();
    const last = this.db.prepare(LAST_MINUTE).pluck();
    return rows.map((m) => ({
      name: m.name,
      version: m.version,
      requests: m.requests,
      firstSeen: (first.get(fromMinute, toMinute, m.name, m.version) as number) * 60_000,
      lastSeen: ((last.get(fromMinute, toMinute, m.name, m.version) as number) + 1) * 60_000,
    }));
  }
}
