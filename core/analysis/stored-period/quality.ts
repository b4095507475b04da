/**
 * Data quality over the quality population (populations.ts): the drift analysis counts the scored records; the
 * invalid records' fields are counted here and added in, so missing rates, out-of-range shares and unseen
 * categories cover every record that carried an applicant.
 */
import type { DataQuality, FieldDrift } from '../drift/field-drift.ts';
import { categoryCounts, type DriftReference, type FieldReference } from '../drift/reference.ts';
import type { ColumnData } from '../source.ts';

interface QualityCounts {
  rows: number;
  missing: number;
  present: number;
  outside: number;
  unseen: Map<string, number>;
}

function countsOf(reference: FieldReference, columns: ColumnData): QualityCounts | null {
  if (reference.kind === 'number') {
    const values = columns.numbers.get(reference.name);
    if (!values) return null;
    let missing = 0;
    let outside = 0;
    for (const v of values) {
      if (Number.isNaN(v)) missing += 1;
      else if (reference.count > 0 && (v < reference.min || v > reference.max)) outside += 1;
    }
    return { rows: values.length, missing, present: values.length - missing, outside, unseen: new Map() };
  }
  const column = columns.categories.get(reference.name);
  if (!column) return null;
  const counts = categoryCounts(column);
  const present = [...counts.values()].reduce((a, b) => a + b, 0);
  const unseen = new Map([...counts].filter(([label]) => !reference.counts.has(label)));
  const outside = [...unseen.values()].reduce((a, b) => a + b, 0);
  return { rows: column.codes.length, missing: column.codes.length - present, present, outside, unseen };
}

function merged(field: FieldDrift, extra: QualityCounts): DataQuality {
  const rows = field.currentCount + field.currentMissing + extra.rows;
  const missing = field.currentMissing + extra.missing;
  const present = field.currentCount + extra.present;
  const outside = field.quality.outOfRangeCount + extra.outside;
  const unseen = new Map(field.quality.unseenCategories.map((u) => [u.category, u.count]));
  for (const [category, count] of extra.unseen) unseen.set(category, (unseen.get(category) ?? 0) + count);
  const currentMissingRate = rows ? missing / rows : 0;
  return {
    referenceMissingRate: field.quality.referenceMissingRate,
    currentMissingRate,
    missingRateChange: currentMissingRate - field.quality.referenceMissingRate,
    outOfRangeCount: outside,
    outOfRangeShare: present ? outside / present : 0,
    unseenCategories: [...unseen]
      .map(([category, count]) => ({ category, count }))
      .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)),
  };
}

/** `fields` with their data quality widened to `extra` (the invalid records of the same period). */
export function withQualityOf(fields: FieldDrift[], reference: DriftReference, extra: ColumnData): FieldDrift[] {
  if (extra.count === 0) return fields;
  return fields.map((field) => {
    const ref = reference.fields.get(field.name);
    const counts = ref ? countsOf(ref, extra) : null;
    return counts ? { ...field, quality: merged(field, counts) } : field;
  });
}
