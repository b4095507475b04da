/**
 * Drift from summed sketches: the same analysis as analyzeDrift for the methods that only need counts (PSI,
 * chi-square, Jensen–Shannon), with the same data quality and distributions, exact for any period. KS and Wasserstein
 * need the raw values: they are listed as pending, to be filled in from a raw analysis (completeSketchDrift).
 */
import { psiFromCounts, StatsError, type MethodName, type TestResult } from '../stats/index.ts';
import type { DriftAnalysis, WindowDrift, WindowField } from './analyze-drift.ts';
import type { DriftConfig } from './config.ts';
import { binLabels, categoryCountsDrift, runMethods, shares, type Comparison, type FieldDrift } from './field-drift.ts';
import type { CategoryReference, DriftReference, NumberReference } from './reference.ts';
import { numberSlotParts, type CategorySlot, type NumberSlot, type SketchLayout } from './sketch-layout.ts';
import type { DriftSketch } from './sketch.ts';
import type { WindowSize } from './windows.ts';

/** The methods a sketch answers exactly. */
export const SKETCH_METHODS: ReadonlySet<MethodName> = new Set(['psi', 'chi2', 'jensen_shannon']);

/** analyzeDrift's result from sketches, plus the configured methods still to compute from raw values. */
export interface SketchDriftAnalysis extends DriftAnalysis {
  pending: MethodName[];
}

export interface SketchWindow {
  start: number;
  end: number;
  sketch: DriftSketch;
}

export interface SketchDriftInput {
  reference: DriftReference;
  layout: SketchLayout;
  /** The whole period. */
  total: DriftSketch;
  /** The period's non-empty windows, oldest first (empty when no window size). */
  windows: SketchWindow[];
  window: WindowSize | null;
  config: DriftConfig;
}

interface NumberCounts {
  bins: number[];
  present: number;
  missing: number;
  outside: number;
}

function numberCounts(slot: NumberSlot, reference: NumberReference, sketch: DriftSketch): NumberCounts {
  const parts = numberSlotParts(slot);
  const bins = Array.from(sketch.counts.subarray(slot.offset, slot.offset + parts.bins));
  const present = bins.reduce((a, b) => a + b, 0);
  const outside = reference.count > 0 && present > 0 ? sketch.counts[parts.below]! + sketch.counts[parts.above]! : 0;
  return { bins, present, missing: sketch.counts[parts.missing]!, outside };
}

/** The number methods a sketch can answer (PSI on the reference's bins); KS and Wasserstein need raw values. */
function compareNumberCounts(reference: NumberReference, counts: NumberCounts, config: DriftConfig): Comparison {
  const names = config.numberMethods.filter((name) => name === 'psi');
  return runMethods(names, config, { kind: 'number', referenceCount: reference.count }, () => {
    if (!reference.bins) throw new StatsError('PSI needs at least one reference value');
    const statistic = psiFromCounts(reference.bins.counts, counts.bins);
    const threshold = config.thresholds.psi;
    return { statistic, pValue: null, threshold, drifted: statistic >= threshold } satisfies TestResult;
  });
}

function numberField(slot: NumberSlot, reference: NumberReference, sketch: DriftSketch, config: DriftConfig) {
  const counts = numberCounts(slot, reference, sketch);
  const rows = counts.present + counts.missing;
  const edges = slot.edges;
  const labels = binLabels(edges);
  const currentMissingRate = rows ? counts.missing / rows : 0;
  const field: FieldDrift = {
    name: reference.name,
    kind: 'number',
    ...compareNumberCounts(reference, counts, config),
    referenceCount: reference.count,
    currentCount: counts.present,
    currentMissing: counts.missing,
    quality: {
      referenceMissingRate: reference.missingRate,
      currentMissingRate,
      missingRateChange: currentMissingRate - reference.missingRate,
      outOfRangeCount: counts.outside,
      outOfRangeShare: counts.present ? counts.outside / counts.present : 0,
      unseenCategories: [],
    },
    distribution: {
      labels,
      reference: reference.bins ? shares(reference.bins.counts) : [1],
      current: shares(counts.bins),
    },
  };
  return field;
}

/** Counts per category, the schema's first (in its order), then the others by name, zero counts left out. */
export function sketchCategoryCounts(slot: CategorySlot, sketch: DriftSketch): Map<string, number> {
  const counts = new Map<string, number>();
  slot.labels.forEach((label, k) => {
    const n = sketch.counts[slot.offset + k]!;
    if (n > 0) counts.set(label, n);
  });
  for (const [label, n] of sketch.unseen.get(slot.name) ?? []) {
    if (n > 0) counts.set(label, (counts.get(label) ?? 0) + n);
  }
  return counts;
}

function categoryField(slot: CategorySlot, reference: CategoryReference, sketch: DriftSketch, config: DriftConfig) {
  const missing = sketch.counts[slot.offset + slot.labels.length]!;
  return categoryCountsDrift(reference, sketchCategoryCounts(slot, sketch), missing, config);
}

function windowField(field: FieldDrift, rows: number): WindowField {
  const methods: WindowField['methods'] = {};
  for (const [name, r] of Object.entries(field.methods)) {
    methods[name as MethodName] = { statistic: r.statistic, pValue: r.pValue, drifted: r.drifted };
  }
  return {
    drifted: field.drifted,
    count: field.currentCount,
    missingRate: rows ? (rows - field.currentCount) / rows : 0,
    methods,
  };
}

interface Compared {
  fields: FieldDrift[];
  prediction: FieldDrift | null;
}

function compareSketch(input: SketchDriftInput, sketch: DriftSketch): Compared {
  const { reference, layout, config } = input;
  const fields: FieldDrift[] = [];
  for (const slot of layout.fields) {
    const ref = reference.fields.get(slot.name);
    if (!ref) continue;
    if (slot.kind === 'number' && ref.kind === 'number') fields.push(numberField(slot, ref, sketch, config));
    else if (slot.kind === 'category' && ref.kind === 'category') fields.push(categoryField(slot, ref, sketch, config));
  }
  const prediction =
    layout.prediction && reference.prediction
      ? { ...numberField(layout.prediction, reference.prediction, sketch, config), name: 'prediction' }
      : null;
  return { fields, prediction };
}

/** The share of drifted fields among those a method could judge, and whether it reaches the data-set threshold. */
export function datasetVerdict(
  fields: ReadonlyArray<Pick<FieldDrift, 'methods' | 'drifted' | 'name'>>,
  config: DriftConfig,
) {
  const compared = fields.filter((f) => Object.keys(f.methods).length > 0);
  const driftedFields = compared.filter((f) => f.drifted).map((f) => f.name);
  const driftShare = compared.length ? driftedFields.length / compared.length : 0;
  return { driftedFields, driftShare, datasetDrift: compared.length > 0 && driftShare >= config.datasetDriftShare };
}

export function sketchDrift(input: SketchDriftInput): SketchDriftAnalysis {
  const { reference, config, total } = input;
  const whole = compareSketch(input, total);
  const windows: WindowDrift[] = input.windows
    .filter((w) => w.sketch.records > 0)
    .map((w) => {
      const part = compareSketch(input, w.sketch);
      const rows = w.sketch.records;
      const fields = Object.fromEntries(part.fields.map((f) => [f.name, windowField(f, rows)]));
      const { driftShare, datasetDrift } = datasetVerdict(part.fields, config);
      return {
        start: w.start,
        end: w.end,
        count: rows,
        driftShare,
        datasetDrift,
        fields,
        prediction: part.prediction ? windowField(part.prediction, rows) : null,
      };
    });
  const numbers = whole.fields.some((f) => f.kind === 'number') || whole.prediction !== null;
  const pending = numbers ? config.numberMethods.filter((m) => !SKETCH_METHODS.has(m)) : [];
  return {
    reference: { label: reference.label, source: reference.source, rows: reference.rows },
    current: { rows: total.records, from: total.first, to: total.last },
    config,
    fields: whole.fields,
    prediction: whole.prediction,
    ...datasetVerdict(whole.fields, config),
    window: input.window,
    windows,
    pending,
  };
}
