/** Selecting sub-sets of LabelledRows (a window, a segment, the labelled ones) as plain arrays. */
import type { LabelledRows } from './source.ts';

export interface RowSet {
  probability: Float64Array;
  refused: Uint8Array;
  /** Only the rows with an outcome. */
  labelled: { probability: Float64Array; outcome: Uint8Array; refused: Uint8Array; lagDays: Float64Array };
  count: number;
}

/** The rows at `indices` of `rows`; a row is refused when its probability is at or above its threshold. */
export function rowSet(rows: LabelledRows, indices: ArrayLike<number>, fallbackThreshold: number): RowSet {
  const n = indices.length;
  const probability = new Float64Array(n);
  const refused = new Uint8Array(n);
  let labelledCount = 0;
  for (let k = 0; k < n; k += 1) if (rows.outcome[indices[k]!]! >= 0) labelledCount += 1;
  const labelled = {
    probability: new Float64Array(labelledCount),
    outcome: new Uint8Array(labelledCount),
    refused: new Uint8Array(labelledCount),
    lagDays: new Float64Array(labelledCount),
  };
  let j = 0;
  for (let k = 0; k < n; k += 1) {
    const i = indices[k]!;
    const threshold = Number.isNaN(rows.threshold[i]!) ? fallbackThreshold : rows.threshold[i]!;
    probability[k] = rows.probability[i]!;
    refused[k] = rows.probability[i]! >= threshold ? 1 : 0;
    if (rows.outcome[i]! >= 0) {
      labelled.probability[j] = probability[k]!;
      labelled.outcome[j] = rows.outcome[i]!;
      labelled.refused[j] = refused[k]!;
      labelled.lagDays[j] = (rows.observedAt[i]! - rows.ts[i]!) / 86_400_000;
      j += 1;
    }
  }
  return { probability, refused, labelled, count: n };
}

export function median(values: Float64Array): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
