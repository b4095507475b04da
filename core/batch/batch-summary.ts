/**
 * The summary of a batch scoring: counts, approval rate, the first invalid rows with their position and field errors,
 * and — from a bounded uniform sample of the valid rows (reservoir) — the probability histogram and the drift verdict
 * of the batch against the model package's reference.
 */
import type { Applicant, FieldSpec } from '../contract/index.ts';
import { analyzeDrift, driftConfig, type DriftReference } from '../analysis/index.ts';
import type { CategoryColumn } from '../analysis/source.ts';
import type { OfflineOutcome } from '../engine/index.ts';
import { Random } from '../simulate/prng.ts';
import type { RowPosition } from './scored-line.ts';

export interface InvalidRowReport extends RowPosition {
  code: string;
  /** Field → the validator's message ("" for the row itself). */
  issues: Array<{ path: string; message: string }>;
}

export interface BatchSummary {
  rows: number;
  scored: number;
  invalid: number;
  approved: number;
  approvalRate: number | null;
  meanProbability: number | null;
  /** The first invalid rows (at most `keepInvalid`). */
  invalidRows: InvalidRowReport[];
  histogram: { labels: string[]; reference: number[]; current: number[] } | null;
  drift: { driftShare: number; datasetDrift: boolean; driftedFields: string[]; predictionDrifted: boolean } | null;
  /** Rows the histogram and drift were computed on (all valid rows, or a uniform sample of them). */
  driftRows: number;
}

export class BatchSummariser {
  private rows = 0;
  private scored = 0;
  private approved = 0;
  private probabilitySum = 0;
  private readonly invalid: InvalidRowReport[] = [];
  private invalidCount = 0;
  private readonly sample: Array<{ applicant: Applicant; probability: number }> = [];
  private readonly random = new Random(11);

  constructor(
    private readonly fields: readonly FieldSpec[],
    private readonly options: { keepInvalid?: number; sampleSize?: number } = {},
  ) {}

  add(outcome: OfflineOutcome, at: RowPosition, applicant: Applicant | null): void {
    this.rows += 1;
    if (!outcome.ok) {
      this.invalidCount += 1;
      if (this.invalid.length < (this.options.keepInvalid ?? 200)) {
        this.invalid.push({
          ...at,
          code: outcome.error.code,
          issues: outcome.error.issues.map((i) => ({ path: i.path, message: i.message })),
        });
      }
      return;
    }
    this.scored += 1;
    const { probability, decision } = outcome.result;
    if (decision === 'approve') this.approved += 1;
    this.probabilitySum += probability;
    if (!applicant) return;
    const size = this.options.sampleSize ?? 50_000;
    if (this.sample.length < size) this.sample.push({ applicant, probability });
    else {
      const slot = Math.floor(this.random.float() * this.scored);
      if (slot < size) this.sample[slot] = { applicant, probability };
    }
  }

  finish(reference: DriftReference | null): BatchSummary {
    let histogram: BatchSummary['histogram'] = null;
    let drift: BatchSummary['drift'] = null;
    if (reference && this.sample.length > 0) {
      const count = this.sample.length;
      const numbers = new Map<string, Float64Array>();
      const categories = new Map<string, CategoryColumn>();
      for (const field of this.fields) {
        if (!reference.fields.has(field.name)) continue;
        if (field.kind === 'category') {
          const labels: string[] = [];
          const index = new Map<string, number>();
          const codes = new Int32Array(count);
          this.sample.forEach(({ applicant }, i) => {
            const value = applicant[field.name];
            if (typeof value !== 'string') return void (codes[i] = -1);
            let code = index.get(value);
            if (code === undefined) index.set(value, (code = labels.push(value) - 1));
            codes[i] = code;
          });
          categories.set(field.name, { codes, labels });
        } else {
          numbers.set(
            field.name,
            Float64Array.from(this.sample, ({ applicant }) => {
              const value = applicant[field.name];
              return typeof value === 'number' ? value : NaN;
            }),
          );
        }
      }
      const probability = Float64Array.from(this.sample, (s) => s.probability);
      const analysis = analyzeDrift({
        reference,
        current: { count, numbers, categories, probability },
        config: driftConfig(),
      });
      histogram = analysis.prediction ? { ...analysis.prediction.distribution } : null;
      drift = {
        driftShare: analysis.driftShare,
        datasetDrift: analysis.datasetDrift,
        driftedFields: analysis.driftedFields,
        predictionDrifted: analysis.prediction?.drifted ?? false,
      };
    }
    return {
      rows: this.rows,
      scored: this.scored,
      invalid: this.invalidCount,
      approved: this.approved,
      approvalRate: this.scored ? this.approved / this.scored : null,
      meanProbability: this.scored ? this.probabilitySum / this.scored : null,
      invalidRows: this.invalid,
      histogram,
      drift,
      driftRows: this.sample.length,
    };
  }
}
