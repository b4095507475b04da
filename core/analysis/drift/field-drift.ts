/** One field's drift: every configured method, the field's verdict, its data quality and its two distributions. */
import type { CategoryColumn } from '../source.ts';
import { binCountsSorted, METHODS, StatsError, type MethodName, type TestResult } from '../stats/index.ts';
import { decide, type DriftConfig } from './config.ts';
import { categoryCounts, type CategoryReference, type NumberReference } from './reference.ts';
import { sortedPresent } from './sort-numbers.ts';

export type MethodResults = Partial<Record<MethodName, TestResult>>;

export interface Comparison {
  methods: MethodResults;
  drifted: boolean;
  /** The methods whose results made the verdict (config.ts decide). */
  decidedBy: MethodName[];
  /** Why some methods could not run (no reference values, no current values). */
  note: string | null;
}

export interface DataQuality {
  referenceMissingRate: number;
  currentMissingRate: number;
  /** current − reference missing rate. */
  missingRateChange: number;
  /** Current values outside the reference [min, max] (numbers) or categories the reference never saw. */
  outOfRangeCount: number;
  outOfRangeShare: number;
  /** Categories seen in the current data only, most frequent first (categories only). */
  unseenCategories: Array<{ category: string; count: number }>;
}

export interface Distribution {
  labels: string[];
  reference: number[];
  current: number[];
}

export interface FieldDrift extends Comparison {
  name: string;
  kind: 'number' | 'category';
  referenceCount: number;
  currentCount: number;
  currentMissing: number;
  quality: DataQuality;
  distribution: Distribution;
}

/** Runs each named method; one a StatsError stops is left out and its message goes to the note. */
export function runMethods(
  names: readonly MethodName[],
  config: DriftConfig,
  field: { kind: 'number' | 'category'; referenceCount: number },
  run: (name: MethodName) => TestResult,
): Comparison {
  const methods: MethodResults = {};
  const problems: string[] = [];
  for (const name of names) {
    try {
      methods[name] = run(name);
    } catch (error) {
      if (!(error instanceof StatsError)) throw error;
      problems.push(error.message);
    }
  }
  return { methods, ...decide(methods, config, field), note: problems.length ? problems.join('; ') : null };
}

/** Numeric comparison of a reference with sorted current values. */
export function compareNumbers(reference: NumberReference, current: Float64Array, config: DriftConfig): Comparison {
  return runMethods(config.numberMethods, config, { kind: 'number', referenceCount: reference.count }, (name) => {
    const method = METHODS[name];
    if (method.kind !== 'number') throw new StatsError(`${name} is not a method for numbers`);
    return method.run(reference.sorted, current, {
      threshold: config.thresholds[name],
      referenceBins: reference.bins ?? undefined,
      referenceStd: Number.isNaN(reference.std) ? undefined : reference.std,
    });
  });
}

export function compareCategories(
  reference: CategoryReference,
  current: ReadonlyMap<string, number>,
  config: DriftConfig,
): Comparison {
  return runMethods(config.categoryMethods, config, { kind: 'category', referenceCount: reference.count }, (name) => {
    const method = METHODS[name];
    if (method.kind !== 'category') throw new StatsError(`${name} is not a method for categories`);
    return method.run(reference.counts, current, { threshold: config.thresholds[name] });
  });
}

function formatEdge(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

/** The chart labels of PSI bins with these edges: `≤ a`, `a – b`, …, `> z`; one `all` bin without edges. */
export function binLabels(edges: readonly number[]): string[] {
  if (edges.length === 0) return ['all'];
  return [
    `≤ ${formatEdge(edges[0]!)}`,
    ...edges.slice(1).map((e, i) => `${formatEdge(edges[i]!)} – ${formatEdge(e)}`),
    `> ${formatEdge(edges[edges.length - 1]!)}`,
  ];
}

/** Each count as a share of their total (zeros when the total is 0). */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total ? c / total : 0));
}

/** `sorted`: the present values of `values`, ascending, when the caller has them already. */
export function numberFieldDrift(
  reference: NumberReference,
  values: Float64Array,
  config: DriftConfig,
  sorted?: Float64Array,
): FieldDrift {
  // Only read here, so the sort may answer in its scratch memory.
  const current = sorted ?? sortedPresent(values, 0, values.length, true);
  const comparison = compareNumbers(reference, current, config);
  let outside = 0;
  if (reference.count > 0 && current.length > 0) {
    for (let i = 0; i < current.length && current[i]! < reference.min; i += 1) outside += 1;
    for (let i = current.length - 1; i >= 0 && current[i]! > reference.max; i -= 1) outside += 1;
  }
  const edges = reference.bins?.edges ?? [];
  const labels = binLabels(edges);
  const currentMissingRate = values.length ? (values.length - current.length) / values.length : 0;
  return {
    name: reference.name,
    kind: 'number',
    ...comparison,
    referenceCount: reference.count,
    currentCount: current.length,
    currentMissing: values.length - current.length,
    quality: {
      referenceMissingRate: reference.missingRate,
      currentMissingRate,
      missingRateChange: currentMissingRate - reference.missingRate,
      outOfRangeCount: outside,
      outOfRangeShare: current.length ? outside / current.length : 0,
      unseenCategories: [],
    },
    distribution: {
      labels,
      reference: reference.bins ? shares(reference.bins.counts) : [1],
      current: shares(reference.bins ? binCountsSorted(current, edges) : [current.length]),
    },
  };
}

const MAX_CHART_CATEGORIES = 12;

export function categoryFieldDrift(
  reference: CategoryReference,
  column: CategoryColumn,
  config: DriftConfig,
): FieldDrift {
  const counts = categoryCounts(column);
  const currentCount = [...counts.values()].reduce((a, b) => a + b, 0);
  return categoryCountsDrift(reference, counts, column.codes.length - currentCount, config);
}

/**
 * A category field's drift from the current period's count per category and its count of missing values: shared by
 * the raw path (counts of a column) and the sketch path (counts summed over hours).
 */
export function categoryCountsDrift(
  reference: CategoryReference,
  counts: ReadonlyMap<string, number>,
  missing: number,
  config: DriftConfig,
): FieldDrift {
  const comparison = compareCategories(reference, counts, config);
  const currentCount = [...counts.values()].reduce((a, b) => a + b, 0);
  const unseen = [...counts]
    .filter(([label]) => !reference.counts.has(label))
    .map(([category, count]) => ({ category, count }))
    .sort((a, b) => b.count - a.count);
  const outside = unseen.reduce((a, u) => a + u.count, 0);
  const rows = currentCount + missing;
  const currentMissingRate = rows ? missing / rows : 0;
  const all = [...new Set([...reference.counts.keys(), ...counts.keys()])].sort(
    (a, b) =>
      (reference.counts.get(b) ?? 0) - (reference.counts.get(a) ?? 0) || (counts.get(b) ?? 0) - (counts.get(a) ?? 0),
  );
  const shown = all.slice(0, MAX_CHART_CATEGORIES);
  const rest = all.slice(MAX_CHART_CATEGORIES);
  const pick = (source: ReadonlyMap<string, number>, total: number) => {
    const values = shown.map((label) => (total ? (source.get(label) ?? 0) / total : 0));
    if (rest.length) values.push(total ? rest.reduce((a, l) => a + (source.get(l) ?? 0), 0) / total : 0);
    return values;
  };
  return {
    name: reference.name,
    kind: 'category',
    ...comparison,
    referenceCount: reference.count,
    currentCount,
    currentMissing: missing,
    quality: {
      referenceMissingRate: reference.missingRate,
      currentMissingRate,
      missingRateChange: currentMissingRate - reference.missingRate,
      outOfRangeCount: outside,
      outOfRangeShare: currentCount ? outside / currentCount : 0,
      unseenCategories: unseen,
    },
    distribution: {
      labels: rest.length ? [...shown, `other (${rest.length})`] : shown,
      reference: pick(reference.counts, reference.count),
      current: pick(counts, currentCount),
    },
  };
}
