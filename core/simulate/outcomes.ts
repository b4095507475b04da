/**
 * Simulated outcomes (CONTRACT.md section 3b) of answered requests, drawn from the hidden risk function: most become
 * known weeks after the request (a default shows once payments are missed, a repayment once the first instalments
 * are made), and some never do (the applicant did not take the loan, or the lender lost track).
 * Refused applicants get an outcome too, as if the lender could observe it (no reject inference; docs/performance.md).
 */
import type { CompleteApplicant } from './applicant-model.ts';
import { drawTarget, type ConceptShift } from './applicant-risk.ts';
import type { Random } from './prng.ts';

export interface SimulatedOutcome {
  request_id: string;
  TARGET: 0 | 1;
  observed_at: string;
}

/** Share of answered requests whose outcome never arrives. */
export const OUTCOME_NEVER_SHARE = 0.08;
const DAY_MS = 86_400_000;
export const OUTCOME_LAG = '7 days + log-normal (median 40 days for a default, 30 for a repayment, sigma 0.5)';

/** Days from the request to the outcome: at least a week, median about 6 weeks, a long tail to several months. */
function lagDays(random: Random, target: 0 | 1): number {
  return 7 + random.logNormal(target === 1 ? 40 : 30, 0.5);
}

export interface PendingOutcome {
  target: 0 | 1;
  arrives: boolean;
  lagDays: number;
}

/** Draws the outcome of an applicant as soon as it is drawn (before missing values are masked). */
export function drawOutcome(random: Random, applicant: CompleteApplicant, concept?: ConceptShift): PendingOutcome {
  const target = drawTarget(random, applicant, concept);
  return { target, arrives: !random.chance(OUTCOME_NEVER_SHARE), lagDays: lagDays(random, target) };
}

export function outcomeRecord(pending: PendingOutcome, requestId: string, requestMs: number): SimulatedOutcome {
  return {
    request_id: requestId,
    TARGET: pending.target,
    observed_at: new Date(Math.round(requestMs + pending.lagDays * DAY_MS)).toISOString(),
  };
}
