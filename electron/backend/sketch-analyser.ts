/**
 * Drift of any period from hourly sketches, in the analysis worker's interactive lane: whole hours come from the
 * stored sketches (counted once, then kept in the store and in memory), the partial hours at either end of the period
 * are counted from their raw records, and PSI, chi-square and Jensen–Shannon are computed from the sums, exactly.
 * Hours without a sketch, or whose sketch counted fewer records than the hourly rollup now holds (a late import),
 * are counted from their records and saved in one transaction.
 */
import {
  addSketch,
  driftConfig,
  driftFields,
  emptySketch,
  HOUR_MS,
  loadPackageReference,
  profileReference,
  sketchByHour,
  sketchDrift,
  sketchFields,
  sketchLayout,
  windowStart,
  type DriftReference,
  type DriftSketch,
  type SketchDriftAnalysis,
  type SketchLayout,
  type SketchWindow,
  type WindowSize,
} from '../../core/analysis/index.ts';
import { windowLength } from '../../core/analysis/drift/windows.ts';
import type { FieldSpec } from '../../core/contract/index.ts';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { DriftSketchTable, openSketchWriter, openStore, type Store } from '../../db/index.ts';
import { ChampionDerived } from './reference.ts';

export interface SketchDriftRequest {
  dbPath: string;
  modelsDir: string;
  from: number;
  to: number;
  window: WindowSize;
}

export interface SketchBuildRequest {
  dbPath: string;
  modelsDir: string;
  /** Hours to count at most in this call (the rest is left for the next one). */
  maxHours: number;
}

interface Champion {
  reference: DriftReference;
  fields: FieldSpec[];
  layout: SketchLayout;
  read: FieldSpec[];
}

/** Hours kept in memory: a year of hours is a few tens of megabytes. */
const CACHE_HOURS = 10_000;
/** One read covers at most this many hours, so a long backlog of hours is counted in bounded pieces. */
const HOURS_PER_READ = 24;

export class SketchAnalyser {
  private store: Store | null = null;
  private writer: SqliteDatabase | null = null;
  private table: DriftSketchTable | null = null;
  private readonly champion = new ChampionDerived<Champion>(async ({ pkg }) => {
    const reference = profileReference(pkg) ?? (await loadPackageReference(pkg));
    const fields = driftFields(pkg.schema.fields);
    const layout = sketchLayout(reference, fields, `${pkg.name}@${pkg.version}`);
    return { reference, fields, layout, read: sketchFields(layout, fields) };
  });
  /** Sketches by epoch hour for the current store and layout key. */
  private readonly cache = new Map<number, DriftSketch>();
  /**
   * The hourly rollup's count of scored records each cached sketch answers for, when it differs from the records the
   * sketch counted (a rollup out of step with the predictions table): the hour then is not counted over and over.
   */
  private readonly stamps = new Map<number, number>();
  private cacheKey = '';

  private open(dbPath: string): { store: Store; table: DriftSketchTable } {
    if (this.store?.file !== dbPath || !this.table) {
      this.closeStore();
      // Read-only, on this thread only (the reads here are hours, not months); the sketches are saved through a
      // connection of their own. A store this process may not write to still answers, from memory.
      this.store = openStore(dbPath, { readonly: true, readThreads: 1 });
      try {
        this.writer = openSketchWriter(dbPath);
      } catch {
        this.writer = null;
      }
      this.table = new DriftSketchTable(this.store.db, this.writer);
    }
    return { store: this.store, table: this.table };
  }

  private closeStore(): void {
    this.store?.close();
    this.writer?.close();
    this.store = null;
    this.writer = null;
    this.table = null;
  }

  private championFor(modelsDir: string): Promise<Champion> {
    return this.champion.get(modelsDir);
  }

  private cacheFor(dbPath: string, layout: SketchLayout): Map<number, DriftSketch> {
    const key = `${dbPath}\u0000${layout.key}`;
    if (this.cacheKey !== key) {
      this.cache.clear();
      this.stamps.clear();
      this.cacheKey = key;
    }
    return this.cache;
  }

  /** Counts the records of [from, to) hour by hour, without saving (partial hours). */
  private countRaw(store: Store, champion: Champion, from: number, to: number): Map<number, DriftSketch> {
    if (to <= from) return new Map();
    const columns = store.readColumns({ from, to, statuses: ['ok'] }, champion.read);
    return sketchByHour(champion.layout, columns);
  }

  /**
   * Counts the given whole hours from their records and saves them; returns them by hour. `scored`: the hourly
   * rollup's count of scored records per hour, which the new sketches answer for.
   */
  private countHours(
    dbPath: string,
    champion: Champion,
    hours: number[],
    scored: ReadonlyMap<number, number>,
  ): Map<number, DriftSketch> {
    const { store, table } = this.open(dbPath);
    const counted = new Map<number, DriftSketch>();
    let i = 0;
    while (i < hours.length) {
      let j = i + 1;
      while (j < hours.length && hours[j] === hours[j - 1]! + 1 && j - i < HOURS_PER_READ) j++;
      const from = hours[i]! * HOUR_MS;
      const to = (hours[j - 1]! + 1) * HOUR_MS;
      const byHour = this.countRaw(store, champion, from, to);
      for (let k = i; k < j; k++) counted.set(hours[k]!, byHour.get(hours[k]!) ?? emptySketch(champion.layout));
      i = j;
    }
    const stored = [...counted].map(([hour, s]) => ({ hour, ...s }));
    try {
      table.save(champion.layout.key, champion.layout, stored);
    } catch {
      // A busy or read-only store: the sketches still serve this session from memory and are counted again later.
    }
    const cache = this.cacheFor(dbPath, champion.layout);
    for (const [hour, sketch] of counted) {
      this.remember(cache, hour, sketch);
      const stamp = scored.get(hour);
      if (stamp !== undefined && stamp !== sketch.records) this.stamps.set(hour, stamp);
    }
    return counted;
  }

  private remember(cache: Map<number, DriftSketch>, hour: number, sketch: DriftSketch): void {
    if (cache.size < CACHE_HOURS || cache.has(hour)) cache.set(hour, sketch);
  }

  /**
   * Whole hours [fromHour, toHour) that hold scored records: the sketches found fresh (in memory or in the store) and
   * the hours that need counting.
   */
  private survey(dbPath: string, champion: Champion, fromHour: number, toHour: number) {
    const { table } = this.open(dbPath);
    const cache = this.cacheFor(dbPath, champion.layout);
    const scored = table.scoredPerHour(fromHour, toHour);
    const found = new Map<number, DriftSketch>();
    let stale: number[] = [];
    for (const [hour, records] of scored) {
      const sketch = cache.get(hour);
      if (sketch && (sketch.records === records || this.stamps.get(hour) === records)) found.set(hour, sketch);
      else stale.push(hour);
    }
    if (stale.length > 0) {
      for (const s of table.read(champion.layout.key, stale[0]!, stale[stale.length - 1]! + 1)) {
        if (scored.get(s.hour) !== s.records || found.has(s.hour)) continue;
        found.set(s.hour, s);
        this.remember(cache, s.hour, s);
      }
      stale = stale.filter((hour) => !found.has(hour));
    }
    return { found, stale, scored };
  }

  /** Sketches per epoch hour of [from, to): whole hours from the store (counted when missing), edges counted raw. */
  private sketches(request: SketchDriftRequest, champion: Champion): Map<number, DriftSketch> {
    const { store } = this.open(request.dbPath);
    const { from, to } = request;
    const firstWhole = Math.ceil(from / HOUR_MS);
    const endWhole = Math.floor(to / HOUR_MS);
    if (firstWhole >= endWhole) return this.countRaw(store, champion, from, to);
    const result = this.countRaw(store, champion, from, firstWhole * HOUR_MS);
    const { found, stale, scored } = this.survey(request.dbPath, champion, firstWhole, endWhole);
    for (const [hour, sketch] of found) result.set(hour, sketch);
    for (const [hour, sketch] of this.countHours(request.dbPath, champion, stale, scored)) result.set(hour, sketch);
    for (const [hour, sketch] of this.countRaw(store, champion, endWhole * HOUR_MS, to)) result.set(hour, sketch);
    return result;
  }

  async drift(request: SketchDriftRequest): Promise<SketchDriftAnalysis> {
    const champion = await this.championFor(request.modelsDir);
    const hours = this.sketches(request, champion);
    const layout = champion.layout;
    const total = emptySketch(layout);
    const windows = new Map<number, SketchWindow>();
    for (const hour of [...hours.keys()].sort((a, b) => a - b)) {
      const sketch = hours.get(hour)!;
      addSketch(total, sketch);
      const start = windowStart(hour * HOUR_MS, request.window);
      let window = windows.get(start);
      if (!window) {
        window = { start, end: start + windowLength(request.window, start), sketch: emptySketch(layout) };
        windows.set(start, window);
      }
      addSketch(window.sketch, sketch);
    }
    return sketchDrift({
      reference: champion.reference,
      layout,
      total,
      windows: [...windows.values()],
      window: request.window,
      config: driftConfig(),
    });
  }

  /**
   * Counts up to `maxHours` of the store's hours that lack a sketch (newest first: the default period is the last
   * week); `remaining` says whether more are left.
   */
  async build(request: SketchBuildRequest): Promise<{ counted: number; remaining: boolean }> {
    const champion = await this.championFor(request.modelsDir);
    const { store } = this.open(request.dbPath);
    const bounds = store.timeBounds();
    if (!bounds) return { counted: 0, remaining: false };
    const fromHour = Math.floor(bounds.from / HOUR_MS);
    const toHour = Math.floor(bounds.to / HOUR_MS) + 1;
    const { stale, scored } = this.survey(request.dbPath, champion, fromHour, toHour);
    const now = stale.slice(-request.maxHours);
    this.countHours(request.dbPath, champion, now, scored);
    return { counted: now.length, remaining: stale.length > now.length };
  }

  close(): void {
    this.closeStore();
    this.cache.clear();
    this.stamps.clear();
  }
}
