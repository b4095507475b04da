/**
 * Drift of the stored records against the champion's reference (or an earlier period), per field, per window and
 * for the data set. One analysis serves the table, the field details and the data-quality panel; it is cached per
 * period and store version, so selecting fields and going back to the page cost nothing.
 */
import {
  analyzeDrift,
  driftConfig,
  driftFields,
  loadPackageReference,
  referenceFromColumns,
  type DriftAnalysis,
  type DriftReference,
} from '../../../core/analysis/drift/index.ts';
import type { FieldSpec } from '../../../core/contract/index.ts';
import { ConsoleError } from '../api/errors.ts';
import type { DriftFieldRow, DriftMethod, MethodInput, MethodOutput, TimeRange } from '../api/types.ts';
import type { Services } from '../services.ts';
import { effectiveRange } from './overview.ts';

const DAY = 86_400_000;

export function windowFor(spanMs: number): 'hour' | 'day' | 'week' {
  if (spanMs <= 3 * DAY) return 'hour';
  if (spanMs <= 90 * DAY) return 'day';
  return 'week';
}

export interface Analysed {
  analysis: DriftAnalysis;
  range: { from: number; to: number };
  primary: { number: DriftMethod; category: DriftMethod };
}

const cache = new Map<string, Promise<Analysed>>();
let championReference: Promise<{ reference: DriftReference; fields: FieldSpec[] }> | null = null;

/** Forgets cached analyses (the store changed). */
export function clearDriftCache(): void {
  cache.clear();
}

async function champion(services: Services) {
  championReference ??= services.reference
    .get()
    .then(async ({ pkg }) => ({ reference: await loadPackageReference(pkg), fields: driftFields(pkg.schema.fields) }))
    .catch((error: unknown) => {
      championReference = null;
      throw error instanceof ConsoleError ? error : new ConsoleError('REFERENCE_UNAVAILABLE', (error as Error).message);
    });
  return championReference;
}

export async function analyse(
  services: Services,
  rangeInput: TimeRange | undefined,
  referenceRange: TimeRange | undefined,
  methods: MethodInput<'drift'>['methods'],
): Promise<Analysed> {
  const { from, to } = effectiveRange(services, rangeInput);
  const settings = services.settings.get().driftMethods;
  const primary = { number: methods?.number ?? settings.number, category: methods?.category ?? settings.category };
  const key = JSON.stringify([services.store.file, from, to, referenceRange ?? null, primary]);
  let entry = cache.get(key);
  if (!entry) {
    entry = (async () => {
      const base = await champion(services);
      let reference = base.reference;
      if (referenceRange) {
        const columns = services.store.readColumns({ ...referenceRange, statuses: ['ok'] }, base.fields);
        if (columns.count === 0) throw new ConsoleError('NO_DATA_IN_RANGE');
        reference = referenceFromColumns(
          columns,
          `period ${new Date(referenceRange.from ?? 0).toISOString()}…`,
          'period',
        );
      }
      const current = services.store.readColumns({ from, to, statuses: ['ok'] }, base.fields);
      const analysis = analyzeDrift({ reference, current, config: driftConfig(), window: windowFor(to - from) });
      return { analysis, range: { from, to }, primary };
    })();
    cache.set(key, entry);
    entry.catch(() => cache.delete(key));
    // A handful of recent periods is what people flip between; older ones are recomputed.
    if (cache.size > 8) cache.delete(cache.keys().next().value!);
  }
  return entry;
}

function primaryOf(kind: 'number' | 'category', primary: Analysed['primary'], available: string[]): DriftMethod {
  const wanted = kind === 'number' ? primary.number : primary.category;
  return (available.includes(wanted) ? wanted : (available[0] ?? wanted)) as DriftMethod;
}

export async function drift(services: Services, input: MethodInput<'drift'>): Promise<MethodOutput<'drift'>> {
  const { analysis, range, primary } = await analyse(services, input.range, input.reference, input.methods);
  const all = analysis.prediction ? [...analysis.fields, analysis.prediction] : analysis.fields;
  const rows: DriftFieldRow[] = all.map((field) => {
    const isPrediction = field === analysis.prediction;
    const methodNames = Object.keys(field.methods);
    const method = primaryOf(field.kind, primary, methodNames);
    const result = field.methods[method];
    return {
      field: isPrediction ? 'prediction' : field.name,
      kind: isPrediction ? 'prediction' : field.kind,
      method,
      statistic: result?.statistic ?? null,
      pValue: result?.pValue ?? null,
      threshold: result?.threshold ?? analysis.config.thresholds[method],
      drifted: field.drifted,
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
  const { analysis, primary } = await analyse(services, input.range, input.reference, undefined);
  const isPrediction = input.field === 'prediction';
  const field = isPrediction ? analysis.prediction : analysis.fields.find((f) => f.name === input.field);
  if (!field) throw new ConsoleError('INVALID_INPUT', `field "${input.field}" is not analysed`);
  const method = primaryOf(field.kind, primary, Object.keys(field.methods));
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
  };
}
