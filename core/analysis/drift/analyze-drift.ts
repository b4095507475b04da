/**
 * Drift of current records against a reference, per field, for the prediction, for the data set, and per time
 * window. Pure computation over column arrays: the shells load the reference and read the current columns.
 */
import type { ColumnData } from '../source.ts';
import type { MethodName } from '../stats/index.ts';
import type { DriftConfig } from './config.ts';
import {
  categoryFieldDrift,
  compareCategories,
  compareNumbers,
  numberFieldDrift,
  type FieldDrift,
} from './field-drift.ts';
import { categoryCounts, type DriftReference, type NumberReference } from './reference.ts';
import { sortedPresent } from './sort-numbers.ts';
import { releaseSortScratch } from './sort-scratch.ts';
import { sliceWindows, type WindowSize, type WindowSlice } from './windows.ts';

export interface WindowMethodResult {
  statistic: number;
  pValue: number | null;
  drifted: boolean;
}

export interface WindowField {
  drifted: boolean;
  count: number;
  missingRate: number;
  methods: Partial<Record<MethodName, WindowMethodResult>>;
}

export interface WindowDrift {
  start: number;
  end: number;
  count: number;
  driftShare: number;
  datasetDrift: boolean;
  fields: Record<string, WindowField>;
  prediction: WindowField | null;
}

export interface DriftAnalysis {
  reference: { label: string; source: DriftReference['source']; rows: number };
  current: { rows: number; from: number | null; to: number | null };
  config: DriftConfig;
  fields: FieldDrift[];
  prediction: FieldDrift | null;
  driftedFields: string[];
  driftShare: number;
  datasetDrift: boolean;
  window: WindowSize | null;
  windows: WindowDrift[];
}

export interface DriftInput {
  reference: DriftReference;
  /** Current records; `ts` is only needed for windows. */
  current: Pick<ColumnData, 'count' | 'numbers' | 'categories'> & Partial<Pick<ColumnData, 'ts' | 'probability'>>;
  config: DriftConfig;
  window?: WindowSize | null;
  /** Fields already compared elsewhere (parallel-drift.ts), taken as they are; only without windows. */
  fieldDrifts?: ReadonlyMap<string, FieldDrift>;
  /** The prediction already compared elsewhere (parallel-drift.ts); only without windows. */
  predictionDrift?: FieldDrift;
}

function compact(comparison: ReturnType<typeof compareNumbers>, count: number, rows: number): WindowField {
  const methods: WindowField['methods'] = {};
  for (const [name, result] of Object.entries(comparison.methods)) {
    methods[name as MethodName] = { statistic: result.statistic, pValue: result.pValue, drifted: result.drifted };
  }
  return { drifted: comparison.drifted, count, missingRate: rows ? (rows - count) / rows : 0, methods };
}

/** Merges sorted runs into one sorted array, pairwise (exact: the same values in the same order as a full sort). */
function mergeSorted(runs: Float64Array[]): Float64Array {
  let level = runs;
  while (level.length > 1) {
    const next: Float64Array[] = [];
    for (let r = 0; r < level.length; r += 2) {
      const a = level[r]!;
      const b = level[r + 1];
      if (!b) {
        next.push(a);
        continue;
      }
      const out = new Float64Array(a.length + b.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
      while (i < a.length) out[k++] = a[i++]!;
      while (j < b.length) out[k++] = b[j++]!;
      next.push(out);
    }
    level = next;
  }
  return level[0] ?? new Float64Array(0);
}

/** Beyond this many windows, sorting the whole column again is cheaper than merging the windows' sorted runs. */
const MAX_MERGED_WINDOWS = 16;

/**
 * Sorts a numeric column once per window and, when there are few windows, merges those runs for the whole period
 * instead of sorting it again.
 */
function sortedByWindow(values: Float64Array, slices: WindowSlice[]): { whole: Float64Array; parts: Float64Array[] } {
  const parts = slices.map((slice) => sortedPresent(values, slice.from, slice.to));
  // The whole period's values are read once, before the next column's sort: they may stay in the sort's scratch.
  const whole =
    parts.length && parts.length <= MAX_MERGED_WINDOWS
      ? mergeSorted(parts)
      : sortedPresent(values, 0, values.length, true);
  return { whole, parts };
}

function summarizeWindows(
  slices: WindowSlice[],
  perWindow: Array<Record<string, WindowField>>,
  predictions: Array<WindowField | null>,
  config: DriftConfig,
): WindowDrift[] {
  return slices.map((slice, k) => {
    const fields = perWindow[k]!;
    const judged = Object.values(fields).filter((f) => Object.keys(f.methods).length > 0);
    const drifted = judged.filter((f) => f.drifted).length;
    const driftShare = judged.length ? drifted / judged.length : 0;
    return {
      start: slice.start,
      end: slice.end,
      count: slice.to - slice.from,
      driftShare,
      datasetDrift: judged.length > 0 && driftShare >= config.datasetDriftShare,
      fields,
      prediction: predictions[k] ?? null,
    };
  });
}

export function analyzeDrift(input: DriftInput): DriftAnalysis {
  const { reference, current, config } = input;
  const slices = input.window && current.ts && current.count ? sliceWindows(current.ts, input.window) : [];
  const perWindow: Array<Record<string, WindowField>> = slices.map(() => ({}));
  const rowsOf = (k: number) => slices[k]!.to - slices[k]!.from;

  const numberField = (ref: NumberReference, values: Float64Array, name: string): FieldDrift => {
    const done = slices.length ? undefined : input.fieldDrifts?.get(name);
    if (done) return done;
    const { whole, parts } = sortedByWindow(values, slices);
    parts.forEach((sorted, k) => {
      perWindow[k]![name] = compact(compareNumbers(ref, sorted, config), sorted.length, rowsOf(k));
    });
    return numberFieldDrift(ref, values, config, whole);
  };

  const fields: FieldDrift[] = [];
  for (const [name, ref] of reference.fields) {
    if (ref.kind === 'number') {
      const values = current.numbers.get(name);
      if (values) fields.push(numberField(ref, values, name));
    } else {
      const column = current.categories.get(name);
      if (!column) continue;
      const done = slices.length ? undefined : input.fieldDrifts?.get(name);
      if (done) {
        fields.push(done);
        continue;
      }
      slices.forEach((slice, k) => {
        const counts = categoryCounts(column, slice.from, slice.to);
        const count = [...counts.values()].reduce((a, b) => a + b, 0);
        perWindow[k]![name] = compact(compareCategories(ref, counts, config), count, rowsOf(k));
      });
      fields.push(categoryFieldDrift(ref, column, config));
    }
  }
  const predictions: Array<WindowField | null> = slices.map(() => null);
  let prediction: FieldDrift | null = null;
  if (reference.prediction && current.probability && input.predictionDrift && !slices.length) {
    prediction = input.predictionDrift;
  } else if (reference.prediction && current.probability) {
    const { whole, parts } = sortedByWindow(current.probability, slices);
    parts.forEach((sorted, k) => {
      predictions[k] = compact(compareNumbers(reference.prediction!, sorted, config), sorted.length, rowsOf(k));
    });
    prediction = { ...numberFieldDrift(reference.prediction, current.probability, config, whole), name: 'prediction' };
  }
  // Every column of this analysis is sorted: the sorts' working memory goes (sort-scratch.ts).
  releaseSortScratch();
  const compared = fields.filter((f) => Object.keys(f.methods).length > 0);
  const driftedFields = compared.filter((f) => f.drifted).map((f) => f.name);
  const driftShare = compared.length ? driftedFields.length / compared.length : 0;
  const ts = current.ts;
  return {
    reference: { label: reference.label, source: reference.source, rows: reference.rows },
    current: {
      rows: current.count,
      from: ts && ts.length ? ts[0]! : null,
      to: ts && ts.length ? ts[ts.length - 1]! : null,
    },
    config,
    fields,
    prediction,
    driftedFields,
    driftShare,
    datasetDrift: compared.length > 0 && driftShare >= config.datasetDriftShare,
    window: input.window ?? null,
    windows: summarizeWindows(slices, perWindow, predictions, config),
  };
}

/** Per field, the start of the first window in which it drifted (fields that never did are left out). */
export function firstDriftedWindows(analysis: Pick<DriftAnalysis, 'windows'>): Map<string, number> {
  const first = new Map<string, number>();
  for (const w of analysis.windows) {
    for (const [name, field] of Object.entries(w.fields))
      if (field.drifted && !first.has(name)) first.set(name, w.start);
    if (w.prediction?.drifted && !first.has('prediction')) first.set('prediction', w.start);
  }
  return first;
}
