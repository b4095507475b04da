/** The replay report as the Challenger page shows it: verdict, flip table, Δp histogram, segments, latency. */
import type { ReplayReport } from '../../../console-api/types.ts';
import { BarChart, SERIES_COLOURS } from '../components/charts.tsx';
import { Panel } from '../components/common.tsx';
import { formatCount, formatMs, formatPercent } from '../format.ts';

const points = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(2)} pts`;

export function VerdictPanel(props: { report: ReplayReport }) {
  const { verdict } = props.report;
  const tone = verdict.level === 'hold' ? 'bad' : verdict.level === 'review' ? 'warn' : 'good';
  return (
    <Panel title="Verdict" subtitle="the findings a promotion review starts from, each with its number">
      <p className={`verdict badge ${tone}`} data-testid="challenger-verdict">
        {verdict.level}
      </p>
      <ul className="verdict-reasons">
        {verdict.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
    </Panel>
  );
}

export function FlipTablePanel(props: { report: ReplayReport }) {
  const { flips, compared, requests, candidateErrors } = props.report;
  return (
    <Panel
      title="Decision flips"
      subtitle={`${formatCount(compared)} of ${formatCount(requests)} requests compared; ${formatCount(candidateErrors)} the candidate could not score`}
    >
      <table className="table flip-table" aria-label="Decision flips">
        <thead>
          <tr>
            <th scope="col">baseline \ candidate</th>
            <th scope="col">approves</th>
            <th scope="col">refuses</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">approves</th>
            <td data-testid="flip-approve-approve">{formatCount(flips.approveApprove)}</td>
            <td data-testid="flip-approve-refuse" className="flip">
              {formatCount(flips.approveRefuse)} ({formatPercent(flips.rates.approveRefuse, 2)})
            </td>
          </tr>
          <tr>
            <th scope="row">refuses</th>
            <td data-testid="flip-refuse-approve" className="flip">
              {formatCount(flips.refuseApprove)} ({formatPercent(flips.rates.refuseApprove, 2)})
            </td>
            <td data-testid="flip-refuse-refuse">{formatCount(flips.refuseRefuse)}</td>
          </tr>
        </tbody>
      </table>
      <p>
        Approval rate {formatPercent(props.report.approval.baseline, 2)} →{' '}
        {formatPercent(props.report.approval.candidate, 2)} ({points(props.report.approval.change)}, 95 % CI{' '}
        {points(props.report.approval.changeCi[0])} to {points(props.report.approval.changeCi[1])}).
      </p>
    </Panel>
  );
}

export function DeltaPanel(props: { report: ReplayReport }) {
  const { delta } = props.report;
  const labels = delta.counts.map((_, i) =>
    i === 0
      ? `< ${delta.edges[0]}`
      : i === delta.counts.length - 1
        ? `≥ ${delta.edges.at(-1)}`
        : `${delta.edges[i - 1]}`,
  );
  return (
    <Panel
      title="Probability deltas"
      subtitle={`candidate − baseline: mean ${delta.mean.toExponential(2)}, p95 |Δp| ${delta.p95Abs.toFixed(4)}, p99 |Δp| ${delta.p99Abs.toFixed(4)}, max |Δp| ${delta.maxAbs.toExponential(2)}`}
    >
      <BarChart
        label="Histogram of probability deltas"
        xTitle="Δp (bin start)"
        yTitle="requests"
        data={{
          labels,
          datasets: [{ label: 'requests', data: delta.counts, backgroundColor: SERIES_COLOURS.current }],
        }}
      />
    </Panel>
  );
}

export function SegmentPanel(props: { report: ReplayReport }) {
  return (
    <Panel title="Approval rate by segment" subtitle="gender, contract type and age band">
      <table className="table" aria-label="Approval rate by segment">
        <thead>
          <tr>
            <th scope="col">segment</th>
            <th scope="col">requests</th>
            <th scope="col">baseline</th>
            <th scope="col">candidate</th>
            <th scope="col">change [95 % CI]</th>
            <th scope="col">flips</th>
          </tr>
        </thead>
        <tbody>
          {props.report.segments.map((s) => (
            <tr key={`${s.field}=${s.value}`} data-segment={`${s.field}=${s.value}`}>
              <td>
                {s.field} = {s.value}
              </td>
              <td>{formatCount(s.count)}</td>
              <td>{formatPercent(s.baselineApproval, 2)}</td>
              <td>{formatPercent(s.candidateApproval, 2)}</td>
              <td title={`95 % CI ${points(s.changeCi[0])} to ${points(s.changeCi[1])}`}>
                {points(s.change)}{' '}
                <span className="ci">
                  [{points(s.changeCi[0])}, {points(s.changeCi[1])}]
                </span>
              </td>
              <td>
                {formatCount(s.flips)} ({formatPercent(s.flipRate, 2)})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.report.concentration.length > 0 ? (
        <>
          <h3>Where flips concentrate</h3>
          <table className="table" aria-label="Where flips concentrate">
            <thead>
              <tr>
                <th scope="col">field</th>
                <th scope="col">difference</th>
                <th scope="col">detail</th>
              </tr>
            </thead>
            <tbody>
              {props.report.concentration.map((c) => (
                <tr key={c.field}>
                  <td>{c.field}</td>
                  <td>
                    {c.score.toFixed(3)} ({c.measure === 'smd' ? 'standardised mean difference' : 'total variation'})
                  </td>
                  <td>{c.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Panel>
  );
}

export function LatencyPanel(props: { report: ReplayReport }) {
  const { outcomes, arms, labelsStored } = props.report;
  return (
    <Panel title="Latency and realised performance">
      <table className="table" aria-label="Latency comparison">
        <thead>
          <tr>
            <th scope="col">who</th>
            <th scope="col">p50</th>
            <th scope="col">p99</th>
            <th scope="col">mean</th>
            <th scope="col">rows/s in replay</th>
            <th scope="col">samples</th>
          </tr>
        </thead>
        <tbody>
          {props.report.latency.map((l) => (
            <tr key={l.who}>
              <td>{l.who}</td>
              <td>{formatMs(l.p50Ms)}</td>
              <td>{formatMs(l.p99Ms)}</td>
              <td>{formatMs(l.meanMs)}</td>
              <td>{l.rowsPerSecond === null ? '—' : formatCount(l.rowsPerSecond)}</td>
              <td>{formatCount(l.samples)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {outcomes ? (
        <p data-testid="challenger-outcomes">
          On {formatCount(outcomes.labelled)} known outcomes: AUC {outcomes.baseline.auc?.toFixed(4) ?? '—'} →{' '}
          {outcomes.candidate.auc?.toFixed(4) ?? '—'}, cost per applicant{' '}
          {outcomes.baseline.costPerApplicant.toFixed(4)} → {outcomes.candidate.costPerApplicant.toFixed(4)}.
        </p>
      ) : (
        <p data-testid="challenger-outcomes">
          {labelsStored === 0
            ? 'No outcomes are stored yet, so realised AUC and cost cannot be computed.'
            : 'No outcome is known for the requests of this period.'}
        </p>
      )}
      {arms.length > 0 ? (
        <table className="table" aria-label="Canary arms">
          <thead>
            <tr>
              <th scope="col">arm</th>
              <th scope="col">requests</th>
              <th scope="col">approval</th>
              <th scope="col">degraded</th>
              <th scope="col">p99 inference</th>
            </tr>
          </thead>
          <tbody>
            {arms.map((a) => (
              <tr key={a.arm}>
                <td>{a.arm}</td>
                <td>{formatCount(a.requests)}</td>
                <td>{formatPercent(a.approval, 2)}</td>
                <td>{formatPercent(a.degradedRate, 2)}</td>
                <td>{formatMs(a.p99InferenceMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
