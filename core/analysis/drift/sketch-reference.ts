/**
 * The reference sketches need, from a model package's profile alone: PSI bins, minimum, maximum, counts and missing
 * rates per field, category counts. Parsing the package's sample (`sample.csv.gz`, hundreds of thousands of values)
 * takes most of a second and only KS and Wasserstein use it, so the Drift page's first answer skips it. The values
 * are those loadPackageReference gives whenever the profile alone determines them; when it does not (a field without
 * bins, a count or a range), the answer is null and the caller loads the whole reference.
 */
import type { FieldProfile, ModelPackage, NumberProfile } from '../../contract/index.ts';
import {
  driftFields,
  referenceLabel,
  type DriftReference,
  type FieldReference,
  type NumberReference,
} from './reference.ts';

function shares(entry: FieldProfile) {
  const { count, missing } = entry;
  return { count, missing, missingRate: count + missing > 0 ? missing / (count + missing) : 0 };
}

function numberFromProfile(name: string, entry: NumberProfile): NumberReference | null {
  const { edges, bin_counts: counts, min, max } = entry;
  if (!edges || !counts || min === undefined || max === undefined) return null;
  const { count, missing, missingRate } = shares(entry);
  if (!(count > 0)) return null;
  return {
    kind: 'number',
    name,
    count,
    missing,
    missingRate,
    sorted: new Float64Array(0),
    bins: { edges, counts },
    std: Number.NaN,
    min,
    max,
  };
}

function fieldFromProfile(name: string, entry: FieldProfile | undefined): FieldReference | null {
  if (!entry) return null;
  if (entry.kind !== 'category') return numberFromProfile(name, entry);
  const counts = new Map<string, number>();
  for (const [label, n] of Object.entries(entry.categories)) if (n > 0) counts.set(label, n);
  return { kind: 'category', name, counts, ...shares(entry) };
}

/**
 * The package's reference for count-based statistics (no sorted sample values, no standard deviation), or null
 * when the profile alone does not determine it.
 */
export function profileReference(pkg: ModelPackage): DriftReference | null {
  const profile = pkg.profile;
  if (Number.isNaN(profile.rows)) return null;
  const fields = new Map<string, FieldReference>();
  for (const field of driftFields(pkg.schema.fields)) {
    const reference = fieldFromProfile(field.name, profile.fields[field.name]);
    if (!reference) return null;
    fields.set(field.name, reference);
  }
  const prediction = profile.prediction ? numberFromProfile('prediction', profile.prediction) : null;
  if (!prediction) return null;
  return { label: referenceLabel(pkg), source: 'model-package', rows: profile.rows, fields, prediction };
}
