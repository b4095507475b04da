/**
 * The values a field is tried at: for numbers, evenly spaced over the reference sample's range clipped to the
 * schema's bounds (a special value such as DAYS_EMPLOYED = 365243 is tried on its own, not spanned to); for
 * categories, every category of the schema.
 */
import type { FieldSpec } from '../contract/index.ts';

export type FieldValue = number | string | null;

/** The span of a number field a search may move within: the schema's bounds, closed by the reference's extremes. */
export function fieldSpan(field: FieldSpec, sorted: Float64Array | undefined): { lo: number; hi: number } | null {
  const special = new Set(field.alsoAllowed ?? []);
  const values = sorted ? Array.from(sorted).filter((v) => !special.has(v)) : [];
  let lo = values.length ? values[0]! : (field.minimum ?? field.exclusiveMinimum ?? 0);
  let hi = values.length ? values[values.length - 1]! : (field.maximum ?? field.exclusiveMaximum ?? 1);
  if (field.minimum !== undefined) lo = Math.max(lo, field.minimum);
  if (field.maximum !== undefined) hi = Math.min(hi, field.maximum);
  const step = field.kind === 'integer' ? 1 : Math.max(Math.abs(hi - lo) * 1e-6, 1e-9);
  if (field.exclusiveMinimum !== undefined && lo <= field.exclusiveMinimum) lo = field.exclusiveMinimum + step;
  if (field.exclusiveMaximum !== undefined && hi >= field.exclusiveMaximum) hi = field.exclusiveMaximum - step;
  if (field.kind === 'integer') [lo, hi] = [Math.ceil(lo), Math.floor(hi)];
  return hi >= lo ? { lo, hi } : null;
}

/** About `points` values of the field, ascending for numbers, the current value included. */
export function fieldGrid(
  field: FieldSpec,
  sorted: Float64Array | undefined,
  points: number,
  current: FieldValue,
): FieldValue[] {
  if (field.kind === 'category') return [...field.categories!];
  const span = fieldSpan(field, sorted);
  const values = new Set<number>();
  if (span) {
    const count = Math.max(2, points - (field.alsoAllowed?.length ?? 0) - (typeof current === 'number' ? 1 : 0));
    for (let i = 0; i < count; i += 1) {
      const raw = span.lo + ((span.hi - span.lo) * i) / (count - 1);
      values.add(field.kind === 'integer' ? Math.round(raw) : raw);
    }
  }
  for (const special of field.alsoAllowed ?? []) values.add(special);
  if (typeof current === 'number') values.add(current);
  return [...values].sort((a, b) => a - b);
}
