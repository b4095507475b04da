/** The answer of one scored applicant, as /v1/score returns it and each item of /v1/score/batch carries it. */
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
