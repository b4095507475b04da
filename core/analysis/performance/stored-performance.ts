/**
 * Performance of a stored period, as every shell asks for it: the period defaults to everything stored, and CBPE is
 * calibrated on the labelled rows of a reference period, by default the first `referenceDays` days stored (the
 * period right after deployment, when the model is assumed to perform as validated).
 */
import { analyzePerformance, type PerformanceAnalysis, type PerformanceWindow } from './analyze-performance.ts';
import type { PerformanceSource } from './source.ts';
import type { ValidationMetrics } from './validation.ts';

export const DEFAULT_REFERENCE_DAYS = 7;
const DAY_MS = 86_400_000;

export interface StoredPerformanceOptions {
  from?: number;
  to?: number;
  /** @default 'day' */
  window?: PerformanceWindow;
  referenceFrom?: number;
  referenceTo?: number;
  /** @default 7 */
  referenceDays?: number;
  validation: ValidationMetrics | null;
}

export class PerformanceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PerformanceInputError';
  }
}

export function storedPerformance(source: PerformanceSource, options: StoredPerformanceOptions): PerformanceAnalysis {
  const bounds = source.predictionBounds();
  if (!bounds) throw new PerformanceInputError('the store holds no predictions yet: import or pull logs first');
  const from = options.from ?? bounds.from;
  const to = options.to ?? bounds.to + 1;
  if (from >= to) throw new PerformanceInputError('the start of the period must be before its end');
  const referenceFrom = options.referenceFrom ?? bounds.from;
  const referenceTo =
    options.referenceTo ??
    Math.min(bounds.to + 1, referenceFrom + (options.referenceDays ?? DEFAULT_REFERENCE_DAYS) * DAY_MS);
  const referenceRows = source.labelledRows(referenceFrom, referenceTo);
  return analyzePerformance(source.labelledRows(from, to), {
    from,
    to,
    window: options.window,
    reference: { rows: referenceRows, from: referenceFrom, to: referenceTo },
    validation: options.validation,
    outcomes: source.outcomeCounts(),
  });
}
