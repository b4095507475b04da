/** What flips the decision: the smallest single-field change that crosses the threshold, smallest first. */
import { memo } from 'react';
import type { WhatIfFlips } from '../../../console-api/types.ts';
import { Panel } from '../components/common.tsx';

function show(value: number | string | null): string {
  if (value === null) return 'missing';
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? value.toLocaleString('en-GB') : String(Number(value.toPrecision(4)));
}

function FlipsTableView(props: { flips: WhatIfFlips | null }) {
  const flips = props.flips;
  return (
    <Panel
      title="What flips the decision"
      subtitle={
        flips
          ? `${flips.role}: ${flips.decision} at ${(flips.probability * 100).toFixed(2)} % · ${flips.evaluations} evaluations`
          : 'computing…'
      }
    >
      {flips ? (
        <table className="table" aria-label="What flips the decision">
          <thead>
            <tr>
              <th>Field</th>
              <th>Now</th>
              <th>Change to</th>
              <th className="num">Size (ref. SD)</th>
              <th className="num">Probability then</th>
            </tr>
          </thead>
          <tbody>
            {flips.rows.map((row) => (
              <tr key={row.field} data-field={row.field} data-flips={row.to !== null}>
                <td>{row.field}</td>
                <td>{show(row.from)}</td>
                <td>{row.to === null ? 'no single change flips it' : show(row.to)}</td>
                <td className="num">{row.size === null ? '—' : row.size.toFixed(2)}</td>
                <td className="num">{row.probability === null ? '—' : `${(row.probability * 100).toFixed(2)} %`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}

/** Re-rendered only when its own props change, not on every keystroke in the form. */
export const FlipsTable = memo(FlipsTableView);
