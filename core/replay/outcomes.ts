/**
 * Realised performance where outcomes are known: ROC AUC (rank statistic, ties counted half, as
 * sklearn.metrics.roc_auc_score) and the business cost at each model's own decisions, with the training pipeline's
 * costs (models/training/vigie_training/evaluation.py: an approved defaulter costs 10, a refused good payer 1).
 */
import { rocAuc } from '../analysis/performance/index.ts';

export { rocAuc };
export const COST_FALSE_NEGATIVE = 10;
export const COST_FALSE_POSITIVE = 1;

/** Collects (baseline, candidate, outcome) for the labelled requests; memory grows with the labels only. */
export class OutcomeCollector {
  private size = 0;
  private baseline = new Float64Array(1024);
  private candidate = new Float64Array(1024);
  private labels = new Uint8Array(1024);
  private cost = { baseline: 0, candidate: 0 };

  add(baselineP: number, baselineRefused: boolean, candidateP: number, candidateRefused: boolean, outcome: 0 | 1) {
    if (this.size === this.labels.length) this.grow();
    this.baseline[this.size] = baselineP;
    this.candidate[this.size] = candidateP;
    this.labels[this.size] = outcome;
    this.size += 1;
    this.cost.baseline += costOf(baselineRefused, outcome);
    this.cost.candidate += costOf(candidateRefused, outcome);
  }

  private grow(): void {
    const grow = <T extends Float64Array | Uint8Array>(array: T, make: (n: number) => T): T => {
      const next = make(array.length * 2);
      next.set(array);
      return next;
    };
    this.baseline = grow(this.baseline, (n) => new Float64Array(n));
    this.candidate = grow(this.candidate, (n) => new Float64Array(n));
    this.labels = grow(this.labels, (n) => new Uint8Array(n));
  }

  summary() {
    if (this.size === 0) return null;
    const labels = this.labels.subarray(0, this.size);
    let defaults = 0;
    for (const label of labels) defaults += label;
    return {
      labelled: this.size,
      defaults,
      baseline: {
        auc: rocAuc(this.baseline.subarray(0, this.size), labels),
        costPerApplicant: this.cost.baseline / this.size,
      },
      candidate: {
        auc: rocAuc(this.candidate.subarray(0, this.size), labels),
        costPerApplicant: this.cost.candidate / this.size,
      },
      costs: { falseNegative: COST_FALSE_NEGATIVE, falsePositive: COST_FALSE_POSITIVE },
    };
  }
}

function costOf(refused: boolean, outcome: 0 | 1): number {
  if (!refused && outcome === 1) return COST_FALSE_NEGATIVE;
  if (refused && outcome === 0) return COST_FALSE_POSITIVE;
  return 0;
}
