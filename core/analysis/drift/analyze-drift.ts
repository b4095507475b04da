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
import { categoryCounts, type DriftReference } from './reference.ts';
import { sortedPresent } from './sort-numbers.ts';
import { sliceWindows, type WindowSize } from './windows.ts';

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
}

function compact(comparison: ReturnType<typeof compareNumbers>, count: number, rows: number): WindowField {
  const methods: WindowField['methods'] = {};
  for (const [name, result] of Object.entries(comparison.methods)) {
    methods[name as MethodName] = { statistic: result.statistic, pValue: result.pValue, drifted: result.drifted };
  }
  return { drifted: comparison.drifted, count, missingRate: rows ? (rows - count) / rows : 0, methods };
}

function windowDrift(input: DriftInput, size: WindowSize): WindowDrift[] {
  const { reference, current, config } = input;
  if (!current.ts || current.count === 0) return [];
  return sliceWindows(current.ts, size).map((slice) => {
    const rows = slice.to - slice.from;
    const fields: Record<string, WindowField> = {};
    let drifted = 0;
    let compared = 0;
    for (const [name, ref] of reference.fields) {
      let field: WindowField;
      if (ref.kind === 'number') {
        const values = current.numbers.get(name);
        if (!values) continue;
        const sorted = sortedPresent(values, slice.from, slice.to);
        field = compact(compareNumbers(ref, sorted, config), sorted.length, rows);
      } else {
        const column = current.categories.get(name);
        if (!column) continue;
        const counts = categoryCounts(column, slice.from, slice.to);
        const count = [...counts.values()].reduce((a, b) => a + b, 0);
        field = compact(compareCategories(ref, counts, config), count, rows);
      }
      fields[name] = field;
      if (Object.keys(field.methods).length) {
        compared += 1;
        if (field.drifted) drifted += 1;
      }
    }
    let prediction: WindowField | null = null;
    if (reference.prediction && current.probability) {
      const sorted = sortedPresent(current.probability, slice.from, slice.to);
      prediction = compact(compareNumbers(reference.prediction, sorted, config), sorted.length, rows);
    }
    const driftShare = compared ? drifted / compared : 0;
    return {
      start: slice.start,
      end: slice.end,
      count: rows,
      driftShare,
      datasetDrift: compared > 0 && driftShare >= config.datasetDriftShare,
      fields,
      prediction,
    };
  });
}

export function analyzeDrift(input: DriftInput): DriftAnalysis {
  const { reference, current, config } = input;
  const fields: FieldDrift[] = [];
  for (const [name, ref] of reference.fields) {
    if (ref.kind === 'number') {
      const values = current.numbers.get(name);
      if (values) fields.push(numberFieldDrift(ref, values, config));
    } else {
      const column = current.categories.get(name);
      if (column) fields.push(categoryFieldDrift(ref, column, config));
    }
  }
  const prediction =
    reference.prediction && current.probability
      ? { ...numberFieldDrift(reference.prediction, current.probability, config), name: 'prediction' }
      : null;
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
    windows: input.window ? windowDrift(input, input.window) : [],
  };
}
