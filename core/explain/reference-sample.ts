/**
 * The model package's reference sample (`reference/sample.csv.gz`, CONTRACT.md section 2) as validated applicants:
 * the background Shapley values are measured against, the range a sensitivity grid spans, and the medians and modes
 * a blank what-if form starts from.
 */
import type { Applicant, FieldSpec, InputSchema } from '../contract/index.ts';
import { readOfflineInput } from '../engine/index.ts';
import { quantileSorted } from '../analysis/index.ts';

export interface ReferenceSample {
  rows: Applicant[];
  /** Present values of each number field, sorted ascending. */
  sorted: Map<string, Float64Array>;
}

/** Reads the sample; rows the schema refuses are skipped (the training pipeline wrote them from valid data). */
export async function readReferenceSample(
  file: string,
  schema: InputSchema,
  limit = Infinity,
): Promise<ReferenceSample> {
  const reader = readOfflineInput(file, 'csv', schema);
  const rows: Applicant[] = [];
  for await (const row of reader.rows) {
    const checked = schema.validate(row.value);
    if (checked.ok) rows.push(checked.value);
    if (rows.length >= limit) break;
  }
  return { rows, sorted: sortedColumns(rows, schema.fields) };
}

export function sortedColumns(rows: readonly Applicant[], fields: readonly FieldSpec[]): Map<string, Float64Array> {
  const sorted = new Map<string, Float64Array>();
  for (const field of fields) {
    if (field.kind === 'category') continue;
    const values = rows.map((r) => r[field.name]).filter((v): v is number => typeof v === 'number');
    sorted.set(field.name, Float64Array.from(values).sort());
  }
  return sorted;
}

function mode(rows: readonly Applicant[], name: string): string | null {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const value = row[name];
    if (typeof value === 'string') counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) if (count > bestCount) [best, bestCount] = [value, count];
  return best;
}

/** Medians of the numbers (whole for integer fields) and modes of the categories: a typical applicant. */
export function typicalApplicant(sample: ReferenceSample, schema: InputSchema): Applicant {
  const applicant: Applicant = {};
  for (const field of schema.fields) {
    if (field.kind === 'category') {
      applicant[field.name] = mode(sample.rows, field.name) ?? (field.nullable ? null : field.categories![0]!);
      continue;
    }
    const values = sample.sorted.get(field.name)!;
    if (values.length === 0) {
      applicant[field.name] = null;
      continue;
    }
    const median = quantileSorted(values, 0.5);
    applicant[field.name] = field.kind === 'integer' ? Math.round(median) : median;
  }
  const checked = schema.validate(applicant);
  if (!checked.ok) throw new Error(`the reference medians are not a valid applicant: ${checked.issues[0]!.message}`);
  return checked.value;
}
