/**
 * Performance over time: the one place the CLI (`vigie performance`, `vigie check`), the console and the report
 * compute it. Per window: realised metrics on the rows whose outcome is known, CBPE estimates on every row, label
 * coverage and lag, fairness per segment, and the package's validation metrics beside them.
 */
import { fitCbpe, type CbpeReference } from './cbpe.ts';
import { figuresOf, type PerformanceFigures } from './figures.ts';
import { segmentFigures, type SegmentFigures } from './fairness.ts';
import { rowSet } from './rows.ts';
import type { LabelledRows, OutcomeCounts } from './source.ts';
import type { ValidationMetrics } from './validation.ts';

export const PERFORMANCE_WINDOWS = ['hour', 'day', 'week'] as const;
export type PerformanceWindow = (typeof PERFORMANCE_WINDOWS)[number];
const WINDOW_MS: Record<PerformanceWindow, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

export interface PerformanceOptions {
  from: number;
  to: number;
  /** @default 'day' */
  window?: PerformanceWindow;
  /** The reference period whose labelled rows calibrate CBPE; null: no estimates. */
  reference: { rows: LabelledRows; from: number; to: number } | null;
  validation: ValidationMetrics | null;
  outcomes: OutcomeCounts;
  /** Fewest outcomes for realised metrics of a window or segment. @default 50 */
  minLabelled?: number;
  /** Fewest predictions for a fairness group to be compared. @default 30 */
  minGroup?: number;
  /** Threshold for rows that logged none. @default the validation threshold, else 0.5 */
  fallbackThreshold?: number;
}

export interface PerformanceWindowFigures extends PerformanceFigures {
  start: number;
  end: number;
  segments: SegmentFigures[];
}

export interface PerformanceAnalysis {
  from: number;
  to: number;
  window: PerformanceWindow;
  models: Array<{ name: string; version: string }>;
  validation: ValidationMetrics | null;
  reference: { from: number; to: number; rows: number; labelled: number; calibrated: boolean } | null;
  outcomes: OutcomeCounts;
  /**
   * What drops are measured against: the reference period's realised ROC AUC when it has enough outcomes (the model
   * as it performed after deployment), else the package's validation ROC AUC.
   */
  baseline: { rocAuc: number; source: 'reference period' | 'validation' } | null;
  overall: PerformanceFigures;
  segments: SegmentFigures[];
  windows: PerformanceWindowFigures[];
}

function fitReference(reference: PerformanceOptions['reference'], threshold: number): CbpeReference | null {
  if (!reference) return null;
  const all = Array.from({ length: reference.rows.count }, (_, i) => i);
  const { labelled } = rowSet(reference.rows, all, threshold);
  return fitCbpe(labelled.probability, labelled.outcome, labelled.refused);
}

export function analyzePerformance(rows: LabelledRows, options: PerformanceOptions): PerformanceAnalysis {
  const window = options.window ?? 'day';
  const minLabelled = options.minLabelled ?? 50;
  const minGroup = options.minGroup ?? 30;
  const threshold = options.fallbackThreshold ?? options.validation?.threshold ?? 0.5;
  const cbpe = fitReference(options.reference, threshold);
  const step = WINDOW_MS[window];
  const all = Array.from({ length: rows.count }, (_, i) => i);
  const segmentOptions = { fallbackThreshold: threshold, minGroup, minLabelled };

  const windows: PerformanceWindowFigures[] = [];
  let i = 0;
  const first = Math.floor(options.from / step) * step;
  for (let start = first; start < options.to; start += step) {
    const end = start + step;
    const members: number[] = [];
    while (i < rows.count && rows.ts[i]! < end) {
      if (rows.ts[i]! >= start) members.push(i);
      i += 1;
    }
    if (members.length === 0) continue;
    windows.push({
      start: Math.max(start, options.from),
      end: Math.min(end, options.to),
      ...figuresOf(rowSet(rows, members, threshold), cbpe, minLabelled),
      segments: segmentFigures(rows, members, cbpe, segmentOptions),
    });
  }
  const referenceRows = options.reference;
  const referenceFigures = referenceRows
    ? figuresOf(
        rowSet(
          referenceRows.rows,
          Array.from({ length: referenceRows.rows.count }, (_, k) => k),
          threshold,
        ),
        cbpe,
        minLabelled,
      )
    : null;
  const referenceAuc = referenceFigures?.realised?.rocAuc ?? null;
  const baseline =
    referenceAuc !== null
      ? { rocAuc: referenceAuc, source: 'reference period' as const }
      : options.validation
        ? { rocAuc: options.validation.rocAuc, source: 'validation' as const }
        : null;
  return {
    from: options.from,
    to: options.to,
    window,
    models: rows.models,
    validation: options.validation,
    reference: referenceRows
      ? {
          from: referenceRows.from,
          to: referenceRows.to,
          rows: referenceRows.rows.count,
          labelled: referenceFigures!.labelled,
          calibrated: cbpe !== null,
        }
      : null,
    outcomes: options.outcomes,
    baseline,
    overall: figuresOf(rowSet(rows, all, threshold), cbpe, minLabelled),
    segments: segmentFigures(rows, all, cbpe, segmentOptions),
    windows,
  };
}
