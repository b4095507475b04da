/** Champion, challenger and fallback side by side, with the change against the starting applicant. */
import { memo } from 'react';
import type { WhatIfAnswer } from '../../../console-api/types.ts';
import { Panel } from '../components/common.tsx';

function points(delta: number): string {
  const value = delta * 100;
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)} pts`;
}

function AnswersPanelView(props: {
  answers: WhatIfAnswer[] | null;
  start: WhatIfAnswer[] | null;
  status: string;
  backendMs: number | null;
}) {
  return (
    <Panel title="Scores" subtitle={props.status}>
      <div className="answers">
        {(props.answers ?? []).map((answer) => {
          const before = props.start?.find((s) => s.role === answer.role);
          return (
            <div className={`answer ${answer.decision}`} key={answer.role} data-testid={`answer-${answer.role}`}>
              <div className="answer-role">{answer.role}</div>
              <div className="answer-probability" data-testid={`probability-${answer.role}`}>
                {(answer.probability * 100).toFixed(2)} %
              </div>
              <div className="answer-decision">
                {answer.decision} <span className="hint">(threshold {(answer.threshold * 100).toFixed(1)} %)</span>
              </div>
              <div className="hint">
                {answer.name} v{answer.version} · served by {answer.servedBy}
                {answer.degraded ? ' (degraded)' : ''}
              </div>
              {before ? (
                <div className="hint" data-testid={`delta-${answer.role}`}>
                  vs start: {points(answer.probability - before.probability)}
                  {before.decision !== answer.decision ? ` · was ${before.decision}` : ''}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
      {props.backendMs !== null ? (
        <p className="hint">Three models scored in {props.backendMs.toFixed(1)} ms in the backend.</p>
      ) : null}
    </Panel>
  );
}

/** Re-rendered only when its own props change, not on every keystroke in the form. */
export const AnswersPanel = memo(AnswersPanelView);
