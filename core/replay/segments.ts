/**
 * The segments a replay reports approval rates for: applicant gender, contract type and age band. Age comes from
 * DAYS_BIRTH (days before the application, negative), in the bands credit policies are usually reviewed by.
 */
import type { ScoringColumns } from '../engine/index.ts';

export const SEGMENT_FIELDS = ['CODE_GENDER', 'NAME_CONTRACT_TYPE', 'AGE_BAND'] as const;
export type SegmentField = (typeof SEGMENT_FIELDS)[number];

const AGE_BANDS: ReadonlyArray<[number, string]> = [
  [25, '18–24'],
  [35, '25–34'],
  [45, '35–44'],
  [55, '45–54'],
  [Number.POSITIVE_INFINITY, '55+'],
];

const DAYS_PER_YEAR = 365.25;

const MISSING = '(missing)';
/** The band names in order, then `(missing)`: what `ageBandIndex` indexes. */
const AGE_KEYS = [...AGE_BANDS.map(([, band]) => band), MISSING];

/** The index of the age band of a DAYS_BIRTH value in AGE_KEYS (the last one when missing). */
function ageBandIndex(daysBirth: number): number {
  if (!Number.isFinite(daysBirth)) return AGE_BANDS.length;
  const age = -daysBirth / DAYS_PER_YEAR;
  for (let b = 0; b < AGE_BANDS.length; b += 1) if (age < AGE_BANDS[b]![0]) return b;
  return AGE_BANDS.length - 1;
}

export function ageBand(daysBirth: unknown): string {
  return AGE_KEYS[ageBandIndex(typeof daysBirth === 'number' ? daysBirth : NaN)]!;
}

/**
 * The values of one segment field over the given rows of typed columns, as an index per row into `keys` (the same
 * strings the report shows): a category's labels then `(missing)`, or the age bands of DAYS_BIRTH.
 */
export function segmentCodes(
  columns: ScoringColumns,
  field: SegmentField,
  rows: Int32Array,
  count: number,
): { index: Int32Array; keys: readonly string[] } {
  const index = new Int32Array(count);
  if (field === 'AGE_BAND') {
    const days = columns.numbers.get('DAYS_BIRTH');
    if (days) for (let k = 0; k < count; k += 1) index[k] = ageBandIndex(days[rows[k]!]!);
    else index.fill(AGE_BANDS.length);
    return { index, keys: AGE_KEYS };
  }
  const column = columns.categories.get(field);
  if (!column) return { index, keys: [MISSING] };
  const missing = column.labels.length;
  for (let k = 0; k < count; k += 1) {
    const code = column.codes[rows[k]!]!;
    index[k] = code >= 0 ? code : missing;
  }
  return { index, keys: [...column.labels, MISSING] };
}
