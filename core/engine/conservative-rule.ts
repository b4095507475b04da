/**
 * The last link of the fallback chain, used when neither model can answer. It is deliberately conservative: it
 * refuses unless the applicant has strong external credit scores, because approving blind costs far more than a
 * refusal a person can review (README, "Scoring engine").
 *
 * Rule: with at least two of EXT_SOURCE_1/2/3 present, probability = 1 − their mean; otherwise probability = 1.
 * Refuse when probability >= 0.35, i.e. approve only when two or more external scores average 0.65 or more.
 */
import type { Applicant } from '../contract/index.ts';
import type { ModelRef } from './types.ts';

export const RULE_THRESHOLD = 0.35;
export const RULE_MODEL: ModelRef = Object.freeze({ name: 'conservative-rule', version: '1', alias: null });
const SOURCES = ['EXT_SOURCE_1', 'EXT_SOURCE_2', 'EXT_SOURCE_3'] as const;
const MIN_SOURCES = 2;

export function ruleProbability(applicant: Applicant): number {
  let sum = 0;
  let count = 0;
  for (const source of SOURCES) {
    const value = applicant[source];
    if (typeof value === 'number' && Number.isFinite(value)) {
      sum += value;
      count += 1;
    }
  }
  if (count < MIN_SOURCES) return 1;
  return Math.min(1, Math.max(0, 1 - sum / count));
}
