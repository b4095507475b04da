/**
 * The verdict summary a promotion review starts from. `equivalent`: no decision changes and |Δp| ≤ 1e-6 (the same
 * model). `hold`: a finding that should stop a promotion until someone explains it — the candidate failed on
 * requests, realised AUC or cost is worse, or a segment's approval rate moves by more than the segment limit with
 * its 95 % interval on one side of zero.
 * Otherwise `review`: the numbers behind every finding are listed for a person to judge.
 */
import type { ReplayReport, ReplayVerdict } from './types.ts';

/** Approval-rate change of one segment (absolute, as a share) past which the verdict holds. @default 0.05 */
export const SEGMENT_LIMIT = 0.05;
/** Realised AUC loss past which the verdict holds. */
export const AUC_LIMIT = 0.005;
const SAME_MODEL_DELTA = 1e-6;
/** Segments smaller than this are too noisy to hold a promotion on. */
const MIN_SEGMENT = 100;

const pct = (share: number, digits = 2) => `${(share * 100).toFixed(digits)}%`;
const pts = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(2)} points`;

export function verdictOf(report: Omit<ReplayReport, 'verdict'>): ReplayVerdict {
  const { flips, delta, approval, outcomes } = report;
  const reasons: string[] = [];
  let hold = false;
  if (report.compared === 0) return { level: 'review', reasons: ['no request of the period could be compared'] };
  const flipCount = flips.approveRefuse + flips.refuseApprove;
  reasons.push(
    `${flipCount} of ${flips.total} decisions flip (${pct(flips.rates.flips)}): ${flips.approveRefuse} approve→refuse, ` +
      `${flips.refuseApprove} refuse→approve`,
  );
  reasons.push(`max |Δp| ${delta.maxAbs.toPrecision(3)}, mean Δp ${delta.mean.toPrecision(3)}`);
  reasons.push(
    `approval rate ${pct(approval.baseline)} → ${pct(approval.candidate)} (${pts(approval.change)}, 95% CI ` +
      `${pts(approval.changeCi[0])} to ${pts(approval.changeCi[1])})`,
  );
  if (report.candidateErrors > 0) {
    hold = true;
    reasons.push(`the candidate failed on ${report.candidateErrors} requests`);
  }
  // A segment holds the verdict when its change is past the limit and its interval is all on that side of zero.
  const moved = report.segments
    .filter(
      (s) => s.count >= MIN_SEGMENT && Math.abs(s.change) > SEGMENT_LIMIT && (s.changeCi[0] > 0 || s.changeCi[1] < 0),
    )
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
  for (const segment of moved.slice(0, 3)) {
    hold = true;
    reasons.push(
      `approval of ${segment.field} = ${segment.value} moves ${pts(segment.change)} (95% CI ` +
        `${pts(segment.changeCi[0])} to ${pts(segment.changeCi[1])}; limit ${pct(SEGMENT_LIMIT, 0)})`,
    );
  }
  if (outcomes) {
    const { baseline, candidate } = outcomes;
    if (baseline.auc !== null && candidate.auc !== null) {
      const change = candidate.auc - baseline.auc;
      reasons.push(
        `realised AUC ${baseline.auc.toFixed(4)} → ${candidate.auc.toFixed(4)} on ${outcomes.labelled} outcomes`,
      );
      if (change < -AUC_LIMIT) hold = true;
    }
    reasons.push(
      `business cost per applicant ${baseline.costPerApplicant.toFixed(4)} → ${candidate.costPerApplicant.toFixed(4)}`,
    );
    if (candidate.costPerApplicant > baseline.costPerApplicant) hold = true;
  } else {
    reasons.push(
      report.labelsStored === 0
        ? 'no outcomes are stored: realised AUC and cost cannot be computed yet'
        : 'no outcome is known for the requests of this period',
    );
  }
  if (flipCount === 0 && delta.maxAbs <= SAME_MODEL_DELTA && report.candidateErrors === 0)
    return { level: 'equivalent', reasons };
  return { level: hold ? 'hold' : 'review', reasons };
}
