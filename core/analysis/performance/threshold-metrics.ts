/**
 * Metrics at the model's decision threshold (refuse when probability >= threshold; a refusal is the positive
 * prediction, "will default") and the business cost of training: a missed default costs 10, a refused good payer 1.
 */

export const COST_FALSE_NEGATIVE = 10;
export const COST_FALSE_POSITIVE = 1;

export interface Confusion {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

export interface ThresholdMetrics extends Confusion {
  precision: number | null;
  recall: number | null;
  approvalRate: number | null;
  costPerApplicant: number | null;
}

/** Realised confusion counts; `refused[i]` is 1 when row i was refused. */
export function realisedConfusion(refused: ArrayLike<number>, labels: ArrayLike<number>): Confusion {
  const c: Confusion = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (let i = 0; i < refused.length; i += 1) {
    if (refused[i] === 1) {
      if (labels[i] === 1) c.truePositives += 1;
      else c.falsePositives += 1;
    } else if (labels[i] === 1) c.falseNegatives += 1;
    else c.trueNegatives += 1;
  }
  return c;
}

/** Precision, recall, approval rate and cost per applicant from (possibly fractional, estimated) counts. */
export function thresholdMetrics(c: Confusion): ThresholdMetrics {
  const n = c.truePositives + c.falsePositives + c.trueNegatives + c.falseNegatives;
  const refused = c.truePositives + c.falsePositives;
  const defaults = c.truePositives + c.falseNegatives;
  return {
    ...c,
    precision: refused > 0 ? c.truePositives / refused : null,
    recall: defaults > 0 ? c.truePositives / defaults : null,
    approvalRate: n > 0 ? (c.trueNegatives + c.falseNegatives) / n : null,
    costPerApplicant:
      n > 0 ? (COST_FALSE_NEGATIVE * c.falseNegatives + COST_FALSE_POSITIVE * c.falsePositives) / n : null,
  };
}
