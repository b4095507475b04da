/**
 * The reference side of a drift comparison, per field: a model package's profile and sample, an earlier period of
 * the store, or a CSV file. Numbers keep their sorted values (for KS and Wasserstein) and PSI bins; categories keep
 * their counts.
 */
import type { FieldProfile, FieldSpec, ModelPackage } from '../../contract/index.ts';
import type { CategoryColumn } from '../source.ts';
import { referenceBinsOf, standardDeviation, type ReferenceBins } from '../stats/index.ts';
import { readCsvFile, CsvError, type ColumnKind } from './csv-columns.ts';
import { sortedPresent } from './sort-numbers.ts';

export class DriftInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriftInputError';
  }
}

interface FieldStats {
  name: string;
  /** Non-missing values. */
  count: number;
  missing: number;
  missingRate: number;
}

export interface NumberReference extends FieldStats {
  kind: 'number';
  /** Reference values, missing left out, ascending (empty when the reference has none). */
  sorted: Float64Array;
  /** PSI bins: the profile's when the reference is a model package, else deciles of `sorted`. */
  bins: ReferenceBins | null;
  std: number;
  min: number;
  max: number;
}

export interface CategoryReference extends FieldStats {
  kind: 'category';
  counts: Map<string, number>;
}

export type FieldReference = NumberReference | CategoryReference;

export interface DriftReference {
  /** What the reference is, for people: "model credit-default 3 (training split)", "2026-11-01 … 2026-11-08". */
  label: string;
  source: 'model-package' | 'period' | 'file';
  rows: number;
  fields: Map<string, FieldReference>;
  prediction: NumberReference | null;
}

export function numberReference(name: string, values: Float64Array, bins?: ReferenceBins | null): NumberReference {
  const sorted = sortedPresent(values);
  const missing = values.length - sorted.length;
  return {
    kind: 'number',
    name,
    count: sorted.length,
    missing,
    missingRate: values.length ? missing / values.length : 0,
    sorted,
    bins: bins ?? (sorted.length ? referenceBinsOf(sorted) : null),
    std: sorted.length ? standardDeviation(sorted) : Number.NaN,
    min: sorted.length ? sorted[0]! : Number.NaN,
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/** Counts per label of a category column over [from, to). */
export function categoryCounts(column: CategoryColumn, from = 0, to = column.codes.length): Map<string, number> {
  const byCode = new Float64Array(column.labels.length);
  for (let i = from; i < to; i += 1) {
    const code = column.codes[i]!;
    if (code >= 0) byCode[code]! += 1;
  }
  const counts = new Map<string, number>();
  column.labels.forEach((label, code) => {
    if (byCode[code]! > 0) counts.set(label, (counts.get(label) ?? 0) + byCode[code]!);
  });
  return counts;
}

export function categoryReference(name: string, column: CategoryColumn): CategoryReference {
  const counts = categoryCounts(column);
  const count = [...counts.values()].reduce((a, b) => a + b, 0);
  const rows = column.codes.length;
  return {
    kind: 'category',
    name,
    counts,
    count,
    missing: rows - count,
    missingRate: rows ? (rows - count) / rows : 0,
  };
}

export interface ColumnsLike {
  count: number;
  numbers: ReadonlyMap<string, Float64Array>;
  categories: ReadonlyMap<string, CategoryColumn>;
  probability?: Float64Array;
}

/** A reference built from columns: an earlier period of the store, or a CSV file. */
export function referenceFromColumns(columns: ColumnsLike, label: string, source: 'period' | 'file'): DriftReference {
  const fields = new Map<string, FieldReference>();
  for (const [name, values] of columns.numbers) fields.set(name, numberReference(name, values));
  for (const [name, column] of columns.categories) fields.set(name, categoryReference(name, column));
  const prediction = columns.probability ? numberReference('prediction', columns.probability) : null;
  return { label, source, rows: columns.count, fields, prediction: prediction && prediction.count ? prediction : null };
}

function fromProfile(name: string, field: FieldProfile, sampleNumbers: Float64Array | undefined): FieldReference {
  const { count, missing } = field;
  const missingRate = count + missing > 0 ? missing / (count + missing) : 0;
  if (field.kind === 'category') {
    const counts = new Map<string, number>();
    for (const [label, n] of Object.entries(field.categories)) if (n > 0) counts.set(label, n);
    return { kind: 'category', name, counts, count, missing, missingRate };
  }
  const bins = field.edges && field.bin_counts ? { edges: field.edges, counts: field.bin_counts } : null;
  const base = numberReference(name, sampleNumbers ?? new Float64Array(0), bins);
  return {
    ...base,
    count: count || base.count,
    missing,
    missingRate,
    min: field.min ?? base.min,
    max: field.max ?? base.max,
  };
}

/** The identifier is not a feature: it is never compared. */
export const IDENTIFIER_FIELDS: ReadonlySet<string> = new Set(['SK_ID_CURR']);

/** The fields of a schema that drift compares (every input field except the identifier). */
export function driftFields(fields: readonly FieldSpec[]): FieldSpec[] {
  return fields.filter((f) => !IDENTIFIER_FIELDS.has(f.name));
}

/** Loads a model package's reference: its parsed profile plus the sample `reference/sample.csv.gz`. */
export async function loadPackageReference(pkg: ModelPackage): Promise<DriftReference> {
  const fields = driftFields(pkg.schema.fields);
  const profile = pkg.profile;
  const kinds = new Map<string, ColumnKind>(fields.map((f) => [f.name, f.kind === 'category' ? 'category' : 'number']));
  kinds.set('prediction', 'number');
  let sample;
  try {
    sample = await readCsvFile(pkg.files.sample, { kinds, keep: new Set(kinds.keys()) });
  } catch (error) {
    if (error instanceof CsvError) throw new DriftInputError(error.message);
    throw error;
  }
  const references = new Map<string, FieldReference>();
  for (const field of fields) {
    const entry = profile.fields[field.name];
    if (entry) {
      references.set(field.name, fromProfile(field.name, entry, sample.numbers.get(field.name)));
    } else if (field.kind === 'category' && sample.categories.has(field.name)) {
      references.set(field.name, categoryReference(field.name, sample.categories.get(field.name)!));
    } else if (sample.numbers.has(field.name)) {
      references.set(field.name, numberReference(field.name, sample.numbers.get(field.name)!));
    }
  }
  const predictionSample = sample.numbers.get('prediction');
  let prediction: NumberReference | null = null;
  if (profile.prediction || predictionSample) {
    const built = profile.prediction
      ? fromProfile('prediction', profile.prediction, predictionSample)
      : numberReference('prediction', predictionSample!);
    prediction = built.kind === 'number' ? built : null;
  }
  return {
    label: referenceLabel(pkg),
    source: 'model-package',
    rows: Number.isNaN(profile.rows) ? sample.rows : profile.rows,
    fields: references,
    prediction,
  };
}

/** "model credit-default version 3 (training split)". */
export function referenceLabel(pkg: ModelPackage): string {
  return `model ${pkg.name} version ${pkg.version}${pkg.profile.source ? ` (${pkg.profile.source})` : ''}`;
}
