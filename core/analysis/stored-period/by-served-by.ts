/**
 * Prediction drift per `served_by`: the champion's answers, the fallback model's and the rules' have different
 * distributions by design, so a period with many fallback answers must not look like a drifting champion.
 */
import type { DriftConfig } from '../drift/config.ts';
import { numberFieldDrift, type FieldDrift } from '../drift/field-drift.ts';
import type { NumberReference } from '../drift/reference.ts';
import type { RecordSource, TimeRange } from '../source.ts';
import { DRIFT_STATUSES } from './populations.ts';

/** The answerers of the fallback chain (core/engine), plus the cache and a challenger in shadow. */
const ANSWERERS = ['champion', 'fallback', 'rules', 'cache', 'challenger'] as const;

export interface ServedByDrift {
  servedBy: string;
  records: number;
  prediction: FieldDrift;
}

export function predictionByServedBy(
  source: RecordSource,
  range: TimeRange,
  reference: NumberReference,
  config: DriftConfig,
): ServedByDrift[] {
  const out: ServedByDrift[] = [];
  for (const servedBy of ANSWERERS) {
    const columns = source.readColumns({ ...range, servedBy, statuses: [...DRIFT_STATUSES] }, []);
    if (columns.count === 0) continue;
    const prediction = { ...numberFieldDrift(reference, columns.probability, config), name: 'prediction' };
    out.push({ servedBy, records: columns.count, prediction });
  }
  return out.sort((a, b) => b.records - a.records);
}
