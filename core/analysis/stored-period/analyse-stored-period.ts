/**
 * "Analyse a stored period": the one place where the records of a period of the store are compared with a reference.
 * `vigie drift --db`, `vigie report`, the console's Drift page, its exported reports and any later caller (alert
 * rules, `vigie check`) call this and nothing else, so the same store and period give the same numbers everywhere.
 * It owns the populations (populations.ts), the reference (the package's profile and sample, or an earlier period of
 * the store), the window choice, the sketch lane and the KS/Wasserstein fill-in.
 */
import type { ModelPackage } from '../../contract/index.ts';
import { analyzeDrift, type DriftAnalysis } from '../drift/analyze-drift.ts';
import type { DriftHelper } from '../drift/drift-helper.ts';
import { analyzeDriftInParallel } from '../drift/parallel-drift.ts';
import { driftConfig, type DriftConfig } from '../drift/config.ts';
import {
  driftFields,
  DriftInputError,
  loadPackageReference,
  referenceFromColumns,
  type DriftReference,
} from '../drift/reference.ts';
import { completeSketchDrift } from '../drift/sketch-merge.ts';
import { profileReference } from '../drift/sketch-reference.ts';
import type { WindowSize } from '../drift/windows.ts';
import type { MethodName } from '../stats/index.ts';
import type { RecordSource, TimeRange } from '../source.ts';
import { predictionByServedBy, type ServedByDrift } from './by-served-by.ts';
import { DRIFT_STATUSES, QUALITY_EXTRA_STATUSES, QUALITY_STATUSES } from './populations.ts';
import { withQualityOf } from './quality.ts';
import { readColumnsSampled } from './sampled-columns.ts';
import { sketchLaneDrift } from './sketch-lane.ts';
import type { SketchStore } from './sketch-store.ts';
import { windowFor } from './window-for.ts';

export interface StoredPeriodOptions {
  /** The model package whose schema names the fields and whose reference profile and sample are the default reference. */
  model: ModelPackage;
  /** The period [from, to); an absent bound is open (the first stored record, after the last). @default {} */
  range?: TimeRange;
  /** Compare with the scored records of this earlier period of the store instead of the package's reference. */
  referenceRange?: TimeRange;
  /** Methods, thresholds, verdict rule. @default driftConfig() */
  config?: DriftConfig;
  /**
   * Trend windows: a size, "auto" (hours up to 3 days, days up to 90, then weeks: window-for.ts) or null (none).
   * @default null
   */
  window?: WindowSize | 'auto' | null;
  /**
   * "exact": every method from every record. "sketch": PSI, chi-square, Jensen–Shannon and data quality from hourly
   * sketches (milliseconds on any period; needs a sketch store and the package's reference), KS and Wasserstein
   * listed in `pending`, to be filled in with completePending.
   * @default 'exact'
   */
  lane?: 'exact' | 'sketch';
  /** A started drift helper: the exact lane without windows then compares on two cores (parallel-drift.ts). */
  helper?: DriftHelper | null;
}

export interface StoredPeriodAnalysis extends DriftAnalysis {
  /** Configured methods still to compute from raw values (sketch lane only; empty when complete). */
  pending: MethodName[];
  /** The period asked for, bounds resolved against the store (null bounds: the store is empty). */
  period: { from: number | null; to: number | null };
  populations: {
    /** Statuses of the records input and prediction drift compare, and how many there were. */
    drift: { statuses: string[]; records: number };
    /** Statuses of the records data quality counts, and how many there were. */
    quality: { statuses: string[]; records: number };
  };
  /** Prediction drift per `served_by` (champion, fallback, rules…), largest first; empty in the sketch lane. */
  predictionByServedBy: ServedByDrift[];
  /** One hour in `sampleStep` was read for the KS/Wasserstein fill-in (1: every record). */
  sampleStep: number;
}

/** The reference of a package, read once per loaded package (the sample takes most of a second to parse). */
const packageReferences = new WeakMap<ModelPackage, Promise<DriftReference>>();

export function packageReference(pkg: ModelPackage): Promise<DriftReference> {
  let found = packageReferences.get(pkg);
  if (!found) {
    found = loadPackageReference(pkg);
    found.catch(() => packageReferences.delete(pkg));
    packageReferences.set(pkg, found);
  }
  return found;
}

function isoOrOpen(t: number | undefined, open: string): string {
  return t === undefined ? open : new Date(t).toISOString().replace('.000Z', 'Z');
}

async function referenceOf(source: RecordSource, options: StoredPeriodOptions): Promise<DriftReference> {
  if (!options.referenceRange) return packageReference(options.model);
  const range = options.referenceRange;
  const fields = driftFields(options.model.schema.fields);
  const columns = source.readColumns({ ...range, statuses: [...DRIFT_STATUSES] }, fields);
  if (columns.count === 0) throw new DriftInputError('the reference period holds no scored records');
  const label = `stored records ${isoOrOpen(range.from, 'start')} … ${isoOrOpen(range.to, 'end')}`;
  return referenceFromColumns(columns, label, 'period');
}

/** The period with open bounds closed on the store's first record and just after its last. */
export function resolvePeriod(source: RecordSource, range: TimeRange = {}): { from: number | null; to: number | null } {
  const bounds = source.timeBounds();
  return {
    from: range.from ?? bounds?.from ?? null,
    to: range.to ?? (bounds ? bounds.to + 1 : null),
  };
}

function windowOf(options: StoredPeriodOptions, period: { from: number | null; to: number | null }) {
  if (options.window !== 'auto') return options.window ?? null;
  return windowFor(period.from !== null && period.to !== null ? period.to - period.from : 0);
}

/** Analyses one stored period; see StoredPeriodOptions for the choices and populations.ts for what is counted. */
export async function analyseStoredPeriod(
  source: RecordSource,
  sketches: SketchStore | null,
  options: StoredPeriodOptions,
): Promise<StoredPeriodAnalysis> {
  const config = options.config ?? driftConfig();
  const range = options.range ?? {};
  const period = resolvePeriod(source, range);
  const window = windowOf(options, period);
  const fields = driftFields(options.model.schema.fields);
  const useSketches = options.lane === 'sketch' && sketches !== null && !options.referenceRange && period.from !== null;
  let analysis: DriftAnalysis & { pending?: MethodName[] };
  let reference: DriftReference;
  if (useSketches) {
    const bounded = { from: period.from!, to: period.to! };
    analysis = await sketchLaneDrift(source, sketches, options.model, bounded, window ?? windowFor(0), config);
    reference = await packageReferenceForQuality(options.model);
  } else {
    reference = await referenceOf(source, options);
    const current = source.readColumns({ ...range, statuses: [...DRIFT_STATUSES] }, fields);
    analysis = options.helper
      ? await analyzeDriftInParallel({ reference, current, config, window }, { helper: options.helper })
      : analyzeDrift({ reference, current, config, window });
  }
  const extra = source.readColumns({ ...range, statuses: [...QUALITY_EXTRA_STATUSES] }, fields);
  const withQuality = withQualityOf(analysis.fields, reference, extra);
  return {
    ...analysis,
    fields: withQuality,
    pending: analysis.pending ?? [],
    period,
    populations: {
      drift: { statuses: [...DRIFT_STATUSES], records: analysis.current.rows },
      quality: { statuses: [...QUALITY_STATUSES], records: analysis.current.rows + extra.count },
    },
    predictionByServedBy:
      useSketches || !reference.prediction ? [] : predictionByServedBy(source, range, reference.prediction, config),
    sampleStep: 1,
  };
}

/** The counts-only reference quality needs in the sketch lane: the profile's, without parsing the sample. */
async function packageReferenceForQuality(pkg: ModelPackage): Promise<DriftReference> {
  return profileReference(pkg) ?? packageReference(pkg);
}

/**
 * Fills in a sketch-lane analysis's pending methods (KS, Wasserstein) from the raw records of the same period, over
 * the number fields and the prediction; `sampleStep` > 1 reads one whole hour in that many, evenly through the
 * period (the answer then says so in `sampleStep`).
 */
export async function completePending(
  source: RecordSource,
  analysis: StoredPeriodAnalysis,
  options: StoredPeriodOptions & { sampleStep?: number },
): Promise<StoredPeriodAnalysis> {
  if (analysis.pending.length === 0 || analysis.period.from === null) return analysis;
  const base = options.config ?? driftConfig();
  const config = driftConfig({ methods: analysis.pending, thresholds: base.thresholds, vote: base.vote });
  const reference = await packageReference(options.model);
  const fields = driftFields(options.model.schema.fields).filter((f) => f.kind !== 'category');
  const step = options.sampleStep ?? 1;
  const filter = { from: analysis.period.from, to: analysis.period.to!, statuses: [...DRIFT_STATUSES] };
  const current = readColumnsSampled(source, filter, fields, step);
  const raw = analyzeDrift({ reference, current, config, window: analysis.window });
  const completed = completeSketchDrift({ ...analysis, pending: analysis.pending }, raw);
  return { ...analysis, ...completed, fields: completed.fields, pending: [], sampleStep: step };
}
