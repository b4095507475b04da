/**
 * Reads a period's columns from whole hours picked evenly through it, when the period holds more records than an
 * interactive drift view needs. Whole hours spread over the days keep every hour of the day and every day in the
 * sample, so the daily rhythm does not bias it; the statistics then cost a fraction of a full read.
 */
import type { FieldSpec } from '../../contract/index.ts';
import type { ColumnData, RecordFilter, RecordSource } from '../source.ts';

const HOUR = 3_600_000;

function merge(parts: ColumnData[]): ColumnData {
  const count = parts.reduce((sum, part) => sum + part.count, 0);
  const first = parts[0]!;
  const ts = new Float64Array(count);
  const probability = new Float64Array(count);
  const numbers = new Map([...first.numbers.keys()].map((name) => [name, new Float64Array(count)]));
  const categories = new Map(
    [...first.categories.keys()].map((name) => [name, { codes: new Int32Array(count), labels: [] as string[] }]),
  );
  const labelIndex = new Map([...first.categories.keys()].map((name) => [name, new Map<string, number>()]));
  let offset = 0;
  for (const part of parts) {
    ts.set(part.ts, offset);
    probability.set(part.probability, offset);
    for (const [name, values] of part.numbers) numbers.get(name)?.set(values, offset);
    for (const [name, column] of part.categories) {
      const target = categories.get(name);
      const index = labelIndex.get(name);
      if (!target || !index) continue;
      const remap = column.labels.map((label) => {
        let code = index.get(label);
        if (code === undefined) {
          code = target.labels.length;
          index.set(label, code);
          target.labels.push(label);
        }
        return code;
      });
      for (let i = 0; i < column.codes.length; i++) {
        const code = column.codes[i]!;
        target.codes[offset + i] = code < 0 ? -1 : remap[code]!;
      }
    }
    offset += part.count;
  }
  return { count, ts, numbers, categories, probability };
}

/** One hour in every `step` when the period is long enough for it, else every record. */
export function readColumnsSampled(
  store: RecordSource,
  filter: RecordFilter & { from: number; to: number },
  fields: readonly FieldSpec[],
  step: number,
): ColumnData {
  const hours = Math.ceil((filter.to - filter.from) / HOUR);
  if (step <= 1 || hours < step * 4) return store.readColumns(filter, fields);
  const parts: ColumnData[] = [];
  for (let block = 0; block * step < hours; block++) {
    // The pick walks through the hours of each block so consecutive picks fall at different times of day.
    const hour = block * step + (block % step);
    if (hour >= hours) break;
    const from = filter.from + hour * HOUR;
    const part = store.readColumns({ ...filter, from, to: Math.min(filter.to, from + HOUR) }, fields);
    if (part.count > 0 || parts.length === 0) parts.push(part);
  }
  return merge(parts);
}

/** The stride that brings an estimated `records` down to about `limit` (1: read everything). */
export function sampleStep(records: number, limit: number): number {
  return Math.max(1, Math.ceil(records / limit));
}
