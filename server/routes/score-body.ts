/** What a scored applicant leaves behind: its answer, as /v1/score returns it and each /v1/score/batch item carries it, and its validated fields without SK_ID_CURR. */
import type { Applicant } from '../../core/contract/index.ts';
import type { ScoreResult } from '../../core/engine/index.ts';
import type { Arm } from '../challengers.ts';
import { servedByOf } from '../request-record.ts';

export function scoreBody(result: ScoreResult, arm: Arm | undefined) {
  return {
    probability: result.probability,
    decision: result.decision,
    threshold: result.threshold,
    model: { name: result.model.name, version: result.model.version, alias: result.model.alias },
    served_by: servedByOf(result, arm),
    degraded: result.degraded,
    ...(arm ? { arm } : {}),
  };
}

/**
 * Drops SK_ID_CURR from validated applicants once the engine is done with them, so the logged input (the validated
 * fields themselves, not a copy: copying cost more than validating) never holds it. JSON.stringify leaves out an
 * undefined value; the engine reads only the graph's inputs, of which SK_ID_CURR is not one.
 */
export function forgetIds(values: readonly Applicant[]): void {
  for (const value of values) (value as Record<string, unknown>).SK_ID_CURR = undefined;
}
