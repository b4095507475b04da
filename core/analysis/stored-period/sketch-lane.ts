/**
 * Drift of any period from hourly sketches: whole hours come from the stored sketches (counted once, then kept in the
 * sketch store and in memory), the partial hours at either end of the period are counted from their raw records, and
 * PSI, chi-square and Jensen–Shannon are computed from the sums, exactly. Hours without a sketch, or whose sketch
 * counted fewer records than the store now holds for the hour (a late import), are counted from their records and
 * saved together.
 */
import type { FieldSpec, ModelPackage } from '../../contract/index.ts';
import type { DriftConfig } from '../drift/config.ts';
import { driftFields, loadPackageReference, type DriftReference } from '../drift/reference.ts';
import { sketchDrift, type SketchDriftAnalysis, type SketchWindow } from '../drift/sketch-drift.ts';
import { sketchFields, sketchLayout, type SketchLayout } from '../drift/sketch-layout.ts';
import { profileReference } from '../drift/sketch-reference.ts';
import { addSketch, emptySketch, HOUR_MS, sketchByHour, type DriftSketch } from '../drift/sketch.ts';
import { windowLength, windowStart, type WindowSize } from '../drift/windows.ts';
import type { RecordSource } from '../source.ts';
import { DRIFT_STATUSES } from './populations.ts';
import type { SketchStore } from './sketch-store.ts';

interface Sketching {
  reference: DriftReference;
  fields: FieldSpec[];
  layout: SketchLayout;
  read: FieldSpec[];
}

/** Hours kept in memory per sketch store: a year of hours is a few tens of megabytes. */
const CACHE_HOURS = 10_000;
/** One read covers at most this many hours, so a long backlog of hours is counted in bounded pieces. */
const HOURS_PER_READ = 24;

const sketchings = new WeakMap<ModelPackage, Promise<Sketching>>();

function sketchingOf(pkg: ModelPackage): Promise<Sketching> {
  let found = sketchings.get(pkg);
  if (!found) {
    found = (async () => {
      const reference = profileReference(pkg) ?? (await loadPackageReference(pkg));
      const fields = driftFields(pkg.schema.fields);
      const layout = sketchLayout(reference, fields, `${pkg.name}@${pkg.version}`);
      return { reference, fields, layout, read: sketchFields(layout, fields) };
    })();
    found.catch(() => sketchings.delete(pkg));
    sketchings.set(pkg, found);
  }
  return found;
}

/** What is remembered of one sketch store, for one layout. */
class SketchMemory {
  key = '';
  /** Sketches by epoch hour. */
  readonly hours = new Map<number, DriftSketch>();
  /**
   * The store's count of scored records each cached sketch answers for, when it differs from the records the sketch
   * counted (an hourly rollup out of step with the records): the hour then is not counted over and over.
   */
  readonly stamps = new Map<number, number>();

  forLayout(layout: SketchLayout): this {
    if (this.key !== layout.key) {
      this.hours.clear();
      this.stamps.clear();
      this.key = layout.key;
    }
    return this;
  }

  remember(hour: number, sketch: DriftSketch): void {
    if (this.hours.size < CACHE_HOURS || this.hours.has(hour)) this.hours.set(hour, sketch);
  }
}

const memories = new WeakMap<SketchStore, SketchMemory>();

function memoryOf(store: SketchStore, layout: SketchLayout): SketchMemory {
  let memory = memories.get(store);
  if (!memory) memories.set(store, (memory = new SketchMemory()));
  return memory.forLayout(layout);
}

/** Counts the records of [from, to) hour by hour, without saving (partial hours). */
function countRaw(source: RecordSource, s: Sketching, from: number, to: number): Map<number, DriftSketch> {
  if (to <= from) return new Map();
  const columns = source.readColumns({ from, to, statuses: [...DRIFT_STATUSES] }, s.read);
  return sketchByHour(s.layout, columns);
}

/** Counts the given whole hours from their records and saves them; `scored`: the store's count per hour. */
function countHours(
  source: RecordSource,
  store: SketchStore,
  s: Sketching,
  hours: number[],
  scored: ReadonlyMap<number, number>,
): Map<number, DriftSketch> {
  const counted = new Map<number, DriftSketch>();
  let i = 0;
  while (i < hours.length) {
    let j = i + 1;
    while (j < hours.length && hours[j] === hours[j - 1]! + 1 && j - i < HOURS_PER_READ) j++;
    const byHour = countRaw(source, s, hours[i]! * HOUR_MS, (hours[j - 1]! + 1) * HOUR_MS);
    for (let k = i; k < j; k++) counted.set(hours[k]!, byHour.get(hours[k]!) ?? emptySketch(s.layout));
    i = j;
  }
  try {
    store.save(
      s.layout.key,
      s.layout,
      [...counted].map(([hour, sketch]) => ({ hour, ...sketch })),
    );
  } catch {
    // A busy or read-only store: the sketches still serve from memory and are counted again later.
  }
  const memory = memoryOf(store, s.layout);
  for (const [hour, sketch] of counted) {
    memory.remember(hour, sketch);
    const stamp = scored.get(hour);
    if (stamp !== undefined && stamp !== sketch.records) memory.stamps.set(hour, stamp);
  }
  return counted;
}

/** Whole hours [fromHour, toHour) holding scored records: the sketches found fresh and the hours to count. */
function survey(store: SketchStore, s: Sketching, fromHour: number, toHour: number) {
  const memory = memoryOf(store, s.layout);
  const scored = store.scoredPerHour(fromHour, toHour);
  const found = new Map<number, DriftSketch>();
  let stale: number[] = [];
  for (const [hour, records] of scored) {
    const sketch = memory.hours.get(hour);
    if (sketch && (sketch.records === records || memory.stamps.get(hour) === records)) found.set(hour, sketch);
    else stale.push(hour);
  }
  if (stale.length > 0) {
    for (const stored of store.read(s.layout.key, stale[0]!, stale[stale.length - 1]! + 1)) {
      if (scored.get(stored.hour) !== stored.records || found.has(stored.hour)) continue;
      found.set(stored.hour, stored);
      memory.remember(stored.hour, stored);
    }
    stale = stale.filter((hour) => !found.has(hour));
  }
  return { found, stale, scored };
}

function sketchesOf(source: RecordSource, store: SketchStore, s: Sketching, from: number, to: number) {
  const firstWhole = Math.ceil(from / HOUR_MS);
  const endWhole = Math.floor(to / HOUR_MS);
  if (firstWhole >= endWhole) return countRaw(source, s, from, to);
  const result = countRaw(source, s, from, firstWhole * HOUR_MS);
  const { found, stale, scored } = survey(store, s, firstWhole, endWhole);
  for (const [hour, sketch] of found) result.set(hour, sketch);
  for (const [hour, sketch] of countHours(source, store, s, stale, scored)) result.set(hour, sketch);
  for (const [hour, sketch] of countRaw(source, s, endWhole * HOUR_MS, to)) result.set(hour, sketch);
  return result;
}

/** The sketch lane's analysis of [from, to) against the package's reference; KS and Wasserstein are pending. */
export async function sketchLaneDrift(
  source: RecordSource,
  store: SketchStore,
  pkg: ModelPackage,
  range: { from: number; to: number },
  window: WindowSize,
  config: DriftConfig,
): Promise<SketchDriftAnalysis> {
  const s = await sketchingOf(pkg);
  const hours = sketchesOf(source, store, s, range.from, range.to);
  const total = emptySketch(s.layout);
  const windows = new Map<number, SketchWindow>();
  for (const hour of [...hours.keys()].sort((a, b) => a - b)) {
    const sketch = hours.get(hour)!;
    addSketch(total, sketch);
    const start = windowStart(hour * HOUR_MS, window);
    let w = windows.get(start);
    if (!w) {
      w = { start, end: start + windowLength(window, start), sketch: emptySketch(s.layout) };
      windows.set(start, w);
    }
    addSketch(w.sketch, sketch);
  }
  return sketchDrift({
    reference: s.reference,
    layout: s.layout,
    total,
    windows: [...windows.values()],
    window,
    config,
  });
}

/**
 * Counts up to `maxHours` of the source's hours that lack a sketch (newest first: the default period is the last
 * week); `remaining` says whether more are left.
 */
export async function buildSketches(
  source: RecordSource,
  store: SketchStore,
  pkg: ModelPackage,
  maxHours: number,
): Promise<{ counted: number; remaining: boolean }> {
  const s = await sketchingOf(pkg);
  const bounds = source.timeBounds();
  if (!bounds) return { counted: 0, remaining: false };
  const { stale, scored } = survey(store, s, Math.floor(bounds.from / HOUR_MS), Math.floor(bounds.to / HOUR_MS) + 1);
  const now = stale.slice(-maxHours);
  countHours(source, store, s, now, scored);
  return { counted: now.length, remaining: stale.length > now.length };
}
