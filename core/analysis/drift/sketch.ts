/**
 * Drift sketches: the counts PSI, chi-square and Jensen–Shannon need (and the data-quality shares), counted once per
 * hour of records and summed for any period. Sums of counts are exact, so statistics computed from a summed sketch
 * equal those computed from the period's raw records.
 */
import type { ColumnData } from '../source.ts';
import { numberSlotParts, type NumberSlot, type SketchLayout } from './sketch-layout.ts';

export const HOUR_MS = 3_600_000;

export interface DriftSketch {
  /** Records counted (scored records of the period). */
  records: number;
  /** First and last record time, null when empty. */
  first: number | null;
  last: number | null;
  /** Counts in the layout's order. */
  counts: Float64Array;
  /** Per category field, counts of the categories outside the schema, by name. */
  unseen: Map<string, Map<string, number>>;
}

export function emptySketch(layout: SketchLayout): DriftSketch {
  return { records: 0, first: null, last: null, counts: new Float64Array(layout.width), unseen: new Map() };
}

/** Adds `from` into `into`. */
export function addSketch(into: DriftSketch, from: DriftSketch): void {
  if (from.records === 0) return;
  into.records += from.records;
  if (from.first !== null && (into.first === null || from.first < into.first)) into.first = from.first;
  if (from.last !== null && (into.last === null || from.last > into.last)) into.last = from.last;
  const a = into.counts;
  const b = from.counts;
  for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
  for (const [field, labels] of from.unseen) {
    let target = into.unseen.get(field);
    if (!target) into.unseen.set(field, (target = new Map()));
    for (const [label, count] of labels) target.set(label, (target.get(label) ?? 0) + count);
  }
}

export function sumSketches(layout: SketchLayout, sketches: Iterable<DriftSketch>): DriftSketch {
  const total = emptySketch(layout);
  for (const sketch of sketches) addSketch(total, sketch);
  return total;
}

function countNumbers(slot: NumberSlot, values: Float64Array, from: number, to: number, counts: Float64Array): void {
  const { missing, below, above } = numberSlotParts(slot);
  const edges = slot.edges;
  const last = edges.length;
  const { offset, min, max } = slot;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (v !== v) {
      counts[missing]! += 1;
      continue;
    }
    // searchsorted(edges, v, side="left"): the number of edges strictly below v.
    let bin = 0;
    while (bin < last && edges[bin]! < v) bin++;
    counts[offset + bin]! += 1;
    if (v < min) counts[below]! += 1;
    if (v > max) counts[above]! += 1;
  }
}

/** The sketch of the records [from, to) of `columns` (which hold every field of the layout). */
export function sketchRecords(layout: SketchLayout, columns: ColumnData, from = 0, to = columns.count): DriftSketch {
  const sketch = emptySketch(layout);
  if (to <= from) return sketch;
  sketch.records = to - from;
  sketch.first = columns.ts[from]!;
  sketch.last = columns.ts[to - 1]!;
  const counts = sketch.counts;
  for (const slot of layout.fields) {
    if (slot.kind === 'number') {
      const values = columns.numbers.get(slot.name);
      if (values) countNumbers(slot, values, from, to, counts);
      else counts[numberSlotParts(slot).missing]! += to - from;
      continue;
    }
    const column = columns.categories.get(slot.name);
    const missing = slot.offset + slot.labels.length;
    if (!column) {
      counts[missing]! += to - from;
      continue;
    }
    const byCode = new Float64Array(column.labels.length);
    let absent = 0;
    for (let i = from; i < to; i++) {
      const code = column.codes[i]!;
      if (code >= 0) byCode[code]! += 1;
      else absent += 1;
    }
    counts[missing]! += absent;
    const known = new Map(slot.labels.map((label, k) => [label, k]));
    column.labels.forEach((label, code) => {
      const n = byCode[code]!;
      if (n === 0) return;
      const k = known.get(label);
      if (k !== undefined) {
        counts[slot.offset + k]! += n;
        return;
      }
      let unseen = sketch.unseen.get(slot.name);
      if (!unseen) sketch.unseen.set(slot.name, (unseen = new Map()));
      unseen.set(label, (unseen.get(label) ?? 0) + n);
    });
  }
  if (layout.prediction) countNumbers(layout.prediction, columns.probability, from, to, counts);
  return sketch;
}

/** One sketch per epoch hour (Math.floor(ts / HOUR_MS)) of time-ordered `columns`. */
export function sketchByHour(layout: SketchLayout, columns: ColumnData): Map<number, DriftSketch> {
  const hours = new Map<number, DriftSketch>();
  const ts = columns.ts;
  let i = 0;
  while (i < columns.count) {
    const hour = Math.floor(ts[i]! / HOUR_MS);
    const end = (hour + 1) * HOUR_MS;
    let j = i + 1;
    while (j < columns.count && ts[j]! < end) j++;
    const sketch = sketchRecords(layout, columns, i, j);
    const existing = hours.get(hour);
    if (existing) addSketch(existing, sketch);
    else hours.set(hour, sketch);
    i = j;
  }
  return hours;
}
