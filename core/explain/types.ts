import type { Applicant } from '../contract/index.ts';

/** A model as explanations see it: probabilities of default for a batch of validated applicants, in order. */
export type ProbabilityFn = (applicants: readonly Applicant[]) => Promise<Float64Array>;

/** The decision rule of every model package: refuse at or above the threshold. */
export function decisionOf(probability: number, threshold: number): 'approve' | 'refuse' {
  return probability >= threshold ? 'refuse' : 'approve';
}
