/**
 * Drift of the stored records against the champion's reference (or an earlier period), per field, per window and
 * for the data set. One analysis serves the table, the field details and the data-quality panel; it is cached per
 * period and store version, so selecting fields and going back to the page cost nothing. The page's first answer
 * comes from hourly sketches (sketch-analyser.ts); KS and Wasserstein follow from a raw analysis.
 */
import {
  completeSketchDrift,
  type DriftAnalysis,
  type MethodName,
  type SketchDriftAnalysis,
} from '../../../core/analysis/index.ts';
import { windowFor, type DriftRequest } from '../analyser.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { DriftFieldRow, DriftMethod, MethodInput, MethodOutput, TimeRange } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';
import { sampleStep } from '../sampled-columns.ts';
import { effectiveRange } from './overview.ts';

/**
 * Records the background KS and Wasserstein analysis of a drift view reads at most: beyond this, whole hours are
 * sampled evenly through the period (sampled-columns.ts). Sketch statistics, exported reports and `vigie drift` use
 * every record.
 */
export const INTERACTIVE_LIMIT = 100_000;

/** Records in [from, to), estimated from the store's size and time span (the exact count would need a scan). */
function estimateRecords(services: Services, from: number, to: number): number {
  const bounds = services.bounds();
  if (!bounds) return 0;
  const span = Math.max(1, bounds.to + 1 - bounds.from);
  const overlap = Math.max(0, Math.min(to, bounds.to + 1) - Math.max(from, bounds.from));
  return (services.recordCount() * overlap) / span;
}

export interface Analysed {
  analysis: DriftAnalysis;
  range: { from: number; to: number };
  primary: { number: DriftMethod; category: DriftMethod };
  sampleStep: number;
}

export async function analyse(
  services: Services,
  rangeInput: TimeRange | undefined,
  referenceRange: TimeRange | undefined,
  methods: MethodInput<'drift'>['methods'],
  options: { exact?: boolean } = {},
): Promise<Analysed> {
  const { from, to } = effectiveRange(services, rangeInput);
  const settings = services.settings.get().driftMethods;
  const primary = { number: methods?.number ?? settings.number, category: methods?.category ?? settings.category };
  const request = {
    dbPath: services.store.file,
    modelsDir: services.config.modelsDir,
    from,
    to,
    sampleStep: options.exact ? 1 : sampleStep(estimateRecords(services, from, to), INTERACTIVE_LIMIT),
    ...(referenceRange ? { reference: referenceRange } : {}),
  };
  const pending = services.memo('drift', request, () => {
    const running = services.analysis.drift(request);
    // A failed analysis is not kept: the next call tries again.
    running.catch(() => services.forget('drift', request));
    return running;
  });
  return { analysis: await pending, range: { from, to }, primary, sampleStep: request.sampleStep };
}

/**
 * A raw analysis of the methods sketches cannot answer, started only when someone waits for it (the page asks once
 * it has painted the sketch answer, so the two do not compete for the CPU), with its outcome once known.
 */
interface RawRest {
  promise: Promise<DriftAnalysis> | null;
  value?: DriftAnalysis;
  error?: string;
}

function sketchOf(services: Services, from: number, to: number): Promise<SketchDriftAnalysis> {
  const request = {
    dbPath: services.store.file,
    modelsDir: services.config.modelsDir,
    from,
    to,
    window: windowFor(to - from),
  };
  return services.memo('drift-sketch', request, () => {
    const running = services.analysis.sketchDrift(request);
    running.catch(() => services.forget('drift-sketch', request));
    return running;
  });
}

function rawRestOf(services: Services, from: number, to: number, methods: MethodName[], start: boolean): RawRest {
  const request: DriftRequest = {
    dbPath: services.store.file,
    modelsDir: services.config.modelsDir,
    from,
    to,
    sampleStep: sampleStep(estimateRecords(services, from, to), INTERACTIVE_LIMIT),
    methods,
  };
  const rest = services.memo<RawRest>('drift-raw', request, () => ({ promise: null }));
  if (start && !rest.promise) {
    rest.promise = services.analysis.drift(request);
    rest.promise.then(
      (value) => (rest.value = value),
      (error: unknown) => {
        rest.error = error instanceof Error ? error.message : String(error);
        // A failed analysis is not kept: the next visit tries again.
        services.forget('drift-raw', request);
      },
    );
  }
  return rest;
}

export interface CurrentDrift extends Analysed {
  analysis: SketchDriftAnalysis;
  pendingError: string | null;
}

/**
 * The Drift page's analysis of a period: PSI, chi-square, Jensen–Shannon and data quality from hourly sketches (every
 * record, in milliseconds), completed with KS and Wasserstein from a raw analysis in the background lane: `wait`
 * starts it (when not started yet) and waits for it; without `wait` the answer includes it when it is done. Against an earlier period (`referenceRange`), the raw analysis does everything.
 */
export async function currentDrift(
  services: Services,
  rangeInput: TimeRange | undefined,
  referenceRange: TimeRange | undefined,
  methods: MethodInput<'drift'>['methods'],
  wait = false,
): Promise<CurrentDrift> {
  if (referenceRange) {
    const whole = await analyse(services, rangeInput, referenceRange, methods);
    return { ...whole, analysis: { ...whole.analysis, pending: [] }, pendingError: null };
  }
  const { from, to } = effectiveRange(services, rangeInput);
  const settings = services.settings.get().driftMethods;
  const primary = { number: methods?.number ?? settings.number, category: methods?.category ?? settings.category };
  const sketch = await sketchOf(services, from, to);
  const base = { range: { from, to }, primary, sampleStep: 1, pendingError: null };
  if (sketch.pending.length === 0 || sketch.current.rows === 0) {
    return { ...base, analysis: { ...sketch, pending: [] } };
  }
  const rest = rawRestOf(services, from, to, sketch.pending, wait);
  if (wait) await rest.promise?.catch(() => undefined);
  const step = sampleStep(estimateRecords(services, from, to), INTERACTIVE_LIMIT);
  if (rest.value) return { ...base, sampleStep: step, analysis: completeSketchDrift(sketch, rest.value) };
  if (rest.error !== undefined) {
    return { ...base, sampleStep: step, analysis: { ...sketch, pending: [] }, pendingError: rest.error };
  }
  return { ...base, sampleStep: step, analysis: sketch };
}

function primaryOf(
  kind: 'number' | 'category',
  primary: Analysed['primary'],
  available: string[],
  pending: readonly string[],
): DriftMethod {
  const wanted = kind === 'number' ? primary.number : primary.category;
  if (available.includes(wanted) || pending.includes(wanted)) return wanted;
  return (available[0] ?? wanted) as DriftMethod;
}

export async function drift(services: Services, input: MethodInput<'drift'>): Promise<MethodOutput<'drift'>> {
  const {
    analysis,
    range,
    primary,
    sampleStep: step,
    pendingError,
  } = await currentDrift(services, input.range, input.reference, input.methods, input.wait ?? false);
  const all = analysis.prediction ? [...analysis.fields, analysis.prediction] : analysis.fields;
  const rows: DriftFieldRow[] = all.map((field) => {
    const isPrediction = field === analysis.prediction;
    const pending = field.kind === 'number' ? analysis.pending : [];
    const method = primaryOf(field.kind, primary, Object.keys(field.methods), pending);
    const result = field.methods[method];
    return {
      field: isPrediction ? 'prediction' : field.name,
      kind: isPrediction ? 'prediction' : field.kind,
      method,
      statistic: result?.statistic ?? null,
      pValue: result?.pValue ?? null,
      threshold: result?.threshold ?? analysis.config.thresholds[method],
      drifted: field.drifted,
      pending: pending.length > 0,
      trend: analysis.windows.map((w) => {
        const windowField = isPrediction ? w.prediction : w.fields[field.name];
        return windowField?.methods[method]?.statistic ?? null;
      }),
      methods: Object.entries(field.methods).map(([name, r]) => ({
        method: name as DriftMethod,
        statistic: r.statistic,
        pValue: r.pValue,
        threshold: r.threshold,
        drifted: r.drifted,
      })),
    };
  });
  return {
    range,
    reference: analysis.reference.label,
    currentCount: analysis.current.rows,
    sampleStep: step,
    pending: analysis.pending,
    pendingError,
    driftShare: analysis.driftShare,
    datasetDrift: analysis.datasetDrift,
    window: analysis.window ?? 'day',
    fields: rows,
    quality: analysis.fields.map((field) => ({
      field: field.name,
      missingRate: field.quality.currentMissingRate,
      referenceMissingRate: field.quality.referenceMissingRate,
      outOfRangeShare: field.quality.outOfRangeShare,
      unseenCategories: field.quality.unseenCategories.map((u) => u.category),
    })),
  };
}

export async function driftField(
  services: Services,
  input: MethodInput<'driftField'>,
): Promise<MethodOutput<'driftField'>> {
  const { analysis, primary } = await currentDrift(
    services,
    input.range,
    input.reference,
    undefined,
    input.wait ?? false,
  );
  const isPrediction = input.field === 'prediction';
  const field = isPrediction ? analysis.prediction : analysis.fields.find((f) => f.name === input.field);
  if (!field) throw new ConsoleError('INVALID_INPUT', `field "${input.field}" is not analysed`);
  const pending = field.kind === 'number' ? analysis.pending : [];
  const method = primaryOf(field.kind, primary, Object.keys(field.methods), pending);
  return {
    field: input.field,
    kind: isPrediction ? 'prediction' : field.kind,
    method,
    threshold: field.methods[method]?.threshold ?? analysis.config.thresholds[method],
    labels: field.distribution.labels,
    reference: field.distribution.reference,
    current: field.distribution.current,
    series: analysis.windows.map((w) => {
      const result = (isPrediction ? w.prediction : w.fields[input.field])?.methods[method];
      return { t: w.start, statistic: result?.statistic ?? null, drifted: result?.drifted ?? false };
    }),
    pending: (pending as readonly string[]).includes(method),
  };
}
