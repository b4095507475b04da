/**
 * Completes a sketch analysis with the methods that need raw values (KS, Wasserstein), taken from an analyzeDrift
 * run over the same period: the counts-based statistics stay those of the sketches (every record), the verdicts are
 * voted again over every method, per field, per window and for the data set.
 */
import type { MethodName } from '../stats/index.ts';
import type { DriftAnalysis, WindowDrift, WindowField } from './analyze-drift.ts';
import { decide, type DriftConfig } from './config.ts';
import type { FieldDrift, MethodResults } from './field-drift.ts';
import { datasetVerdict, type SketchDriftAnalysis } from './sketch-drift.ts';

function pick<T>(
  methods: Partial<Record<MethodName, T>>,
  names: readonly MethodName[],
): Partial<Record<MethodName, T>> {
  const out: Partial<Record<MethodName, T>> = {};
  for (const name of names) if (methods[name]) out[name] = methods[name];
  return out;
}

/** Methods of `base` and `extra` in the configured order. */
function ordered<T>(
  base: Partial<Record<MethodName, T>>,
  extra: Partial<Record<MethodName, T>>,
  order: readonly MethodName[],
): Partial<Record<MethodName, T>> {
  const out: Partial<Record<MethodName, T>> = {};
  for (const name of order) {
    const result = base[name] ?? extra[name];
    if (result) out[name] = result;
  }
  return out;
}

function votes(
  methods: Partial<Record<MethodName, { drifted: boolean }>>,
  config: DriftConfig,
  referenceCount: number,
) {
  return decide(methods, config, { kind: 'number', referenceCount });
}

function mergeField(field: FieldDrift, raw: FieldDrift | undefined, names: readonly MethodName[], config: DriftConfig) {
  if (!raw || field.kind !== 'number') return field;
  const order = [...config.numberMethods];
  const methods = ordered<MethodResults[MethodName]>(field.methods, pick(raw.methods, names), order) as MethodResults;
  const notes = [field.note, raw.note].filter((n): n is string => Boolean(n));
  return {
    ...field,
    methods,
    ...votes(methods, config, field.referenceCount),
    note: notes.length ? [...new Set(notes)].join('; ') : null,
  };
}

function mergeWindowField(
  field: WindowField,
  raw: WindowField | undefined | null,
  names: readonly MethodName[],
  config: DriftConfig,
  referenceCount: number,
): WindowField {
  if (!raw) return field;
  const methods = ordered(field.methods, pick(raw.methods, names), config.numberMethods);
  return { ...field, methods, drifted: votes(methods, config, referenceCount).drifted };
}

function mergeWindow(
  window: WindowDrift,
  raw: WindowDrift | undefined,
  names: readonly MethodName[],
  config: DriftConfig,
  counts: ReadonlyMap<string, number>,
) {
  if (!raw) return window;
  const fields = Object.fromEntries(
    Object.entries(window.fields).map(([name, f]) => [
      name,
      mergeWindowField(f, raw.fields[name], names, config, counts.get(name) ?? 0),
    ]),
  );
  const judged = Object.values(fields).filter((f) => Object.keys(f.methods).length > 0);
  const driftShare = judged.length ? judged.filter((f) => f.drifted).length / judged.length : 0;
  return {
    ...window,
    fields,
    prediction: window.prediction
      ? mergeWindowField(window.prediction, raw.prediction, names, config, counts.get('prediction') ?? 0)
      : null,
    driftShare,
    datasetDrift: judged.length > 0 && driftShare >= config.datasetDriftShare,
  };
}

/** The sketch analysis with its pending methods filled in from `raw` (same period, same reference). */
export function completeSketchDrift(sketch: SketchDriftAnalysis, raw: DriftAnalysis): SketchDriftAnalysis {
  const names = sketch.pending;
  if (names.length === 0) return sketch;
  const config = sketch.config;
  const rawFields = new Map(raw.fields.map((f) => [f.name, f]));
  const fields = sketch.fields.map((f) => mergeField(f, rawFields.get(f.name), names, config));
  const prediction = sketch.prediction
    ? mergeField(sketch.prediction, raw.prediction ?? undefined, names, config)
    : null;
  const rawWindows = new Map(raw.windows.map((w) => [w.start, w]));
  const counts = new Map([...fields, ...(prediction ? [prediction] : [])].map((f) => [f.name, f.referenceCount]));
  return {
    ...sketch,
    fields,
    prediction,
    ...datasetVerdict(fields, config),
    windows: sketch.windows.map((w) => mergeWindow(w, rawWindows.get(w.start), names, config, counts)),
    pending: [],
  };
}
