/**
 * A model package's `reference/profile.json` (CONTRACT.md §2): per field, quantile bin edges and counts (numbers) or
 * category counts, the missing rate, and the same for the predicted probability. Parsed and checked here, once, when
 * the package loads; drift, sketches and the console's charts read the typed result and never the file.
 */
import { isPlainObject } from './plain-object.ts';

export interface NumberProfile {
  kind: 'number';
  count: number;
  missing: number;
  missing_rate: number;
  /** Absent when the field had no value in the reference. */
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** Inner bin edges; `bin_counts` has one more entry. Absent together when the profile kept no bins. */
  edges?: number[];
  bin_counts?: number[];
}

export interface CategoryProfile {
  kind: 'category';
  count: number;
  missing: number;
  missing_rate: number;
  categories: Record<string, number>;
}

export type FieldProfile = NumberProfile | CategoryProfile;

export interface ReferenceProfile {
  format_version: number;
  /** Where the reference came from, for people ("training split"). */
  source: string | null;
  rows: number;
  fields: Record<string, FieldProfile>;
  prediction: NumberProfile | null;
}

/** What is wrong with a profile, as `path: reason` (the caller names the file). */
export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

function count(value: unknown, where: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !(value >= 0)) throw new ProfileError(`${where} must be a count`);
  return value;
}

function optionalNumber(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ProfileError(`${where} must be a number`);
  return value;
}

function numberProfile(entry: Record<string, unknown>, where: string): NumberProfile {
  const counted = count(entry.count, `${where}.count`);
  const missing = count(entry.missing, `${where}.missing`);
  const profile: NumberProfile = {
    kind: 'number',
    count: counted,
    missing,
    missing_rate: counted + missing > 0 ? missing / (counted + missing) : 0,
  };
  for (const key of ['min', 'max', 'mean', 'std'] as const) {
    const value = optionalNumber(entry[key], `${where}.${key}`);
    if (value !== undefined) profile[key] = value;
  }
  if (entry.edges !== undefined || entry.bin_counts !== undefined) {
    if (!isNumberArray(entry.edges) || !isNumberArray(entry.bin_counts)) {
      throw new ProfileError(`${where}: "edges" and "bin_counts" must be arrays of numbers`);
    }
    if (entry.bin_counts.length !== entry.edges.length + 1) {
      throw new ProfileError(`${where}: "bin_counts" must have one more entry than "edges"`);
    }
    profile.edges = entry.edges;
    profile.bin_counts = entry.bin_counts;
  }
  return profile;
}

function categoryProfile(entry: Record<string, unknown>, where: string): CategoryProfile {
  if (!isPlainObject(entry.categories)) throw new ProfileError(`${where}: "categories" must map categories to counts`);
  const categories: Record<string, number> = {};
  for (const [label, n] of Object.entries(entry.categories)) {
    if (typeof n !== 'number' || !(n >= 0)) throw new ProfileError(`${where}: the count of "${label}" is not a count`);
    categories[label] = n;
  }
  const counted = count(entry.count, `${where}.count`);
  const missing = count(entry.missing, `${where}.missing`);
  return {
    kind: 'category',
    count: counted,
    missing,
    missing_rate: counted + missing > 0 ? missing / (counted + missing) : 0,
    categories,
  };
}

/** Checks a parsed profile document and returns it typed; a ProfileError says what is wrong and where. */
export function parseReferenceProfile(document: unknown): ReferenceProfile {
  if (!isPlainObject(document) || !isPlainObject(document.fields)) {
    throw new ProfileError('expected an object with "fields"');
  }
  const fields: Record<string, FieldProfile> = {};
  for (const [name, entry] of Object.entries(document.fields)) {
    const where = `fields.${name}`;
    if (!isPlainObject(entry)) throw new ProfileError(`${where} must be an object`);
    fields[name] = entry.kind === 'category' ? categoryProfile(entry, where) : numberProfile(entry, where);
  }
  const prediction = isPlainObject(document.prediction) ? numberProfile(document.prediction, 'prediction') : null;
  const rows = typeof document.rows === 'number' && document.rows >= 0 ? document.rows : Number.NaN;
  return {
    format_version: typeof document.format_version === 'number' ? document.format_version : 1,
    source: typeof document.source === 'string' ? document.source : null,
    rows,
    fields,
    prediction,
  };
}
