/**
 * Drift of the stored records against the champion's reference (or an earlier period), per field, per window and
 * for the data set: core's analyseStoredPeriod, run in the analysis worker and cached per period and store version.
 * The page's first answer comes from the sketch lane (PSI, chi-square, Jensen–Shannon, data quality: every record,
 * in milliseconds); `wait` gives the exact analysis — every method over every record, the same numbers as
 * `vigie drift --db` and `vigie report` for the same period.
 */
import type { FieldDrift, StoredPeriodAnalysis } from '../../../core/analysis/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { DriftFieldRow, DriftMethod, MethodInput, MethodOutput, TimeRange } from '../../../console-api/types.ts';
import type { PeriodRequest } from '../period-analyses.ts';
import type { Services } from '../services.ts';
import { effectiveRange } from './overview.ts';

export interface Analysed {
  analysis: StoredPeriodAnalysis;
  range: { from: number; to: number };
  primary: { number: DriftMethod; category: DriftMethod };
  sampleStep: number;
}

function primaryMethods(services: Services, methods: MethodInput<'drift'>['methods']): Analysed['primary'] {
  const settings = services.settings.get().driftMethods;
  return { number: methods?.number ?? settings.number, category: methods?.category ?? settings.category };
}

function periodOf(services: Services, request: PeriodRequest): Promise<StoredPeriodAnalysis> {
  const kind = `drift-${request.lane}`;
  return services.memo(kind, request, () => {
    const running = services.analysis.period(request);
    // A failed analysis is not kept: the next call tries again.
    running.catch(() => services.forget(kind, request));
    return running;
  });
}

function requestOf(
  services: Services,
  range: { from: number; to: number },
  referenceRange: TimeRange | undefined,
  lane: PeriodRequest['lane'],
): PeriodRequest {
  return {
    dbPath: services.store.file,
    modelsDir: services.config.modelsDir,
    ...range,
    ...(referenceRange ? { reference: referenceRange } : {}),
    lane,
  };
}

/** The exact analysis of a period (every method, every record): exported reports and `drift` with `wait`. */
export async function analyse(
  services: Services,
  rangeInput: TimeRange | undefined,
  referenceRange: TimeRange | undefined,
  methods: MethodInput<'drift'>['methods'],
): Promise<Analysed> {
  const range = effectiveRange(services, rangeInput);
  const analysis = await periodOf(services, requestOf(services, range, referenceRange, 'exact'));
  return { analysis, range, primary: primaryMethods(services, methods), sampleStep: 1 };
}

export interface CurrentDrift extends Analysed {
  pendingError: string | null;
}

/**
 * The Drift page's analysis of a period: the sketch lane's answer, or, with `wait` (or against an earlier period, or
 * once it is known), the exact one.
 */
export async function currentDrift(
  services: Services,
  rangeInput: TimeRange | undefined,
  referenceRange: TimeRange | undefined,
  methods: MethodInput<'drift'>['methods'],
  wait = false,
): Promise<CurrentDrift> {
  if (referenceRange) return { ...(await analyse(services, rangeInput, referenceRange, methods)), pendingError: null };
  const range = effectiveRange(services, rangeInput);
  const primary = primaryMethods(services, methods);
  let pendingError: string | null = null;
  if (wait) {
    try {
      return { ...(await analyse(services, rangeInput, undefined, methods)), pendingError };
    } catch (error) {
      // KS and Wasserstein need the package's sample; the sketch answer stands without them, and says why.
      pendingError = error instanceof Error ? error.message : String(error);
    }
  }
  const sketch = await periodOf(services, requestOf(services, range, undefined, 'sketch'));
  return { analysis: pendingError ? { ...sketch, pending: [] } : sketch, range, primary, sampleStep: 1, pendingError };
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

function methodRows(field: FieldDrift): DriftFieldRow['methods'] {
  return Object.entries(field.methods).map(([name, r]) => ({
    method: name as DriftMethod,
    statistic: r.statistic,
    pValue: r.pValue,
    threshold: r.threshold,
    drifted: r.drifted,
  }));
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
      decidedBy: field.decidedBy as DriftMethod[],
      pending: pending.length > 0,
      trend: analysis.windows.map((w) => {
        const windowField = isPrediction ? w.prediction : w.fields[field.name];
        return windowField?.methods[method]?.statistic ?? null;
      }),
      methods: methodRows(field),
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
    driftedFields: analysis.driftedFields.length,
    comparedFields: analysis.fields.filter((f) => Object.keys(f.methods).length > 0).length,
    datasetDrift: analysis.datasetDrift,
    rule: analysis.config.vote,
    populations: analysis.populations,
    predictionByServedBy: analysis.predictionByServedBy.map((p) => ({
      servedBy: p.servedBy,
      records: p.records,
      drifted: p.prediction.drifted,
      decidedBy: p.prediction.decidedBy as DriftMethod[],
      methods: methodRows(p.prediction),
    })),
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
