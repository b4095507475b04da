/**
 * The reasons: a waterfall from the base rate E[f] to this applicant's probability, one bar per field (largest
 * first), the top reasons in words, and the estimator's figures so a reviewer can judge the precision.
 */
import { memo } from 'react';
import type { WhatIfReasons } from '../../../console-api/types.ts';
import { Panel } from '../components/common.tsx';

const pct = (share: number) => `${(share * 100).toFixed(2)} %`;

function ReasonsPanelView(props: { reasons: WhatIfReasons | null }) {
  const reasons = props.reasons;
  if (!reasons) return <Panel title="Reasons">{null}</Panel>;
  const bars = reasons.contributions
    .filter((c) => c.used && c.contribution !== 0)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const ignored = reasons.contributions.filter((c) => !c.used).map((c) => c.field);
  const steps = bars.reduce<Array<(typeof bars)[number] & { from: number; to: number }>>((done, c) => {
    const from = done.length > 0 ? done[done.length - 1]!.to : reasons.baseValue;
    return [...done, { ...c, from, to: from + c.contribution }];
  }, []);
  const lo = Math.min(reasons.baseValue, ...steps.map((s) => Math.min(s.from, s.to)));
  const hi = Math.max(reasons.baseValue, ...steps.map((s) => Math.max(s.from, s.to)));
  const span = hi - lo || 1;
  const x = (v: number) => `${(((v - lo) / span) * 100).toFixed(2)}%`;
  const width = (a: number, b: number) => `${Math.max((Math.abs(b - a) / span) * 100, 0.3).toFixed(2)}%`;
  return (
    <Panel title="Reasons" subtitle={`${reasons.role}: Shapley values against the reference sample`}>
      <ol className="reason-words" aria-label="Top reasons">
        {reasons.words.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ol>
      <div
        className="waterfall"
        role="table"
        aria-label="Reasons waterfall"
        data-testid="waterfall"
        data-base={reasons.baseValue}
        data-probability={reasons.probability}
      >
        <div className="waterfall-row base" role="row">
          <span role="cell">Base rate E[f]</span>
          <span role="cell" className="waterfall-track">
            <span
              className="waterfall-bar total"
              style={{ left: x(Math.min(lo, reasons.baseValue)), width: width(lo, reasons.baseValue) }}
            />
          </span>
          <span role="cell" className="num">
            {pct(reasons.baseValue)}
          </span>
        </div>
        {steps.map((s) => (
          <div className="waterfall-row" role="row" key={s.field} data-contribution={s.contribution}>
            <span role="cell" title={String(s.value)}>
              {s.field}
            </span>
            <span role="cell" className="waterfall-track">
              <span
                className={`waterfall-bar ${s.contribution > 0 ? 'up' : 'down'}`}
                style={{ left: x(Math.min(s.from, s.to)), width: width(s.from, s.to) }}
              />
            </span>
            <span role="cell" className="num">
              {s.contribution > 0 ? '+' : '−'}
              {Math.abs(s.contribution * 100).toFixed(2)} ± {(s.standardError * 100).toFixed(2)}
            </span>
          </div>
        ))}
        <div className="waterfall-row total" role="row">
          <span role="cell">Probability</span>
          <span role="cell" className="waterfall-track">
            <span className="waterfall-bar total" style={{ left: x(lo), width: width(lo, reasons.probability) }} />
          </span>
          <span role="cell" className="num" data-testid="waterfall-probability">
            {pct(reasons.probability)}
          </span>
        </div>
      </div>
      <p className="hint" data-testid="reasons-method">
        Estimator: {reasons.estimator}; {reasons.evaluations.toLocaleString('en-GB')} model evaluations (
        {reasons.permutations} permutations); sampling residual before adjustment {(reasons.residual * 100).toFixed(3)}{' '}
        points, standard error {(reasons.residualStandardError * 100).toFixed(3)} points. Contributions in points of
        probability ± their standard error.
        {ignored.length > 0 ? ` Not read by the model (exactly 0): ${ignored.join(', ')}.` : ''}
      </p>
    </Panel>
  );
}

/** Re-rendered only when its own props change, not on every keystroke in the form. */
export const ReasonsPanel = memo(ReasonsPanelView);
