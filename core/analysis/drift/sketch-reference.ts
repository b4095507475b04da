/**
 * The reference sketches need, from a model package's `reference/profile.json` alone: PSI bins, minimum, maximum,
 * counts and missing rates per field, category counts. Parsing the package's sample (`sample.csv.gz`, hundreds of
 * thousands of values) takes most of a second and only KS and Wasserstein use it, so the Drift page's first answer
 * skips it. The values are those loadPackageReference gives whenever the profile alone determines them; when it does
 * not (a field without bins, a count or a range), the answer is null and the caller loads the whole reference.
 */
import { readFile } from 'node:fs/promises';
import { isPlainObject, type ModelPackage } from '../../contract/index.ts';
import { driftFields, type DriftReference, type FieldReference, type NumberReference } from './reference.ts';

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

function shares(entry: Record<string, unknown>) {
  const count = typeof entry.count === 'number' ? entry.count : 0;
  const missing = typeof entry.missing === 'number' ? entry.missing : 0;
  return { count, missing, missingRate: count + missing > 0 ? missing / (count + missing) : 0 };
}

function numberFromProfile(name: string, entry: Record<string, unknown>): NumberReference | null {
  const { edges, bin_counts: counts, min, max } = entry;
  if (!isNumberArray(edges) || !isNumberArray(counts) || counts.length !== edges.length + 1) return null;
  if (typeof min !== 'number' || typeof max !== 'number') return null;
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

function fieldFromProfile(name: string, entry: unknown): FieldReference | null {
  if (!isPlainObject(entry)) return null;
  if (entry.kind !== 'category') return numberFromProfile(name, entry);
  if (!isPlainObject(entry.categories)) return null;
  const counts = new Map<string, number>();
  for (const [label, n] of Object.entries(entry.categories)) {
    if (typeof n !== 'number' || !(n >= 0)) return null;
    if (n > 0) counts.set(label, n);
  }
  return { kind: 'category', name, counts, ...shares(entry) };
}

/**
 * The package's reference for count-based statistics (no sorted sample values, no standard deviation), or null
 * when the profile alone does not determine it.
 */
export async function profileReference(pkg: ModelPackage): Promise<DriftReference | null> {
  let profile: unknown;
  try {
    profile = JSON.parse(await readFile(pkg.files.profile, 'utf8'));
  } catch {
    return null;
  }
  if (!isPlainObject(profile) || !isPlainObject(profile.fields) || typeof profile.rows !== 'number') return null;
  const fields = new Map<string, FieldReference>();
  for (const field of driftFields(pkg.schema.fields)) {
    const reference = fieldFromProfile(field.name, profile.fields[field.name]);
    if (!reference) return null;
    fields.set(field.name, reference);
  }
  const prediction = isPlainObject(profile.prediction) ? numberFromProfile('prediction', profile.prediction) : null;
  if (!prediction) return null;
  const source = typeof profile.source === 'string' ? ` (${profile.source})` : '';
  return {
    label: `model ${pkg.name} version ${pkg.version}${source}`,
    source: 'model-package',
    rows: profile.rows,
    fields,
    prediction,
  };
}
