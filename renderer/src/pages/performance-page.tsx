/**
 * Performance: realised ROC AUC where outcomes are known and the CBPE estimate with its band, against the baseline
 * and the validation AUC; calibration, cost, label coverage and lag; fairness per segment; the alerts with their
 * state, the retraining recommendation and the webhook deliveries. All on the shared time range.
 */
import { useCallback, useState } from 'react';
import type { AlertView, PerformanceResult, TimeRange } from '../../../console-api/types.ts';
import { useApp, useSlice } from '../app-context.tsx';
import { LineChart, SERIES_COLOURS } from '../components/charts.tsx';
import { EmptyState, ErrorNote, Panel, Stat } from '../components/common.tsx';
import { formatCount, formatPercent, formatPeriod, formatTime } from '../format.ts';
import { useLoadOnRange } from '../use-range.ts';
import { isNoDataError, NoData } from './no-data.tsx';

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(3));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
type Analysis = NonNullable<PerformanceResult['analysis']>;

function AucChart({ analysis }: { analysis: Analysis }) {
  const labels = analysis.windows.map((w) => day(w.start));
  const baseline = analysis.baseline?.rocAuc ?? null;
  return (
    <LineChart
      label="Realised and estimated ROC AUC per day, with the estimate's band and the baseline"
      xTitle="day (UTC)"
      yTitle="ROC AUC"
      yMax={1}
      data={{
        labels,
        datasets: [
          {
            label: 'realised',
            data: analysis.windows.map((w) => w.realised?.rocAuc ?? null),
            borderColor: SERIES_COLOURS.current,
            backgroundColor: SERIES_COLOURS.current,
          },
          {
            label: 'estimated (CBPE)',
            data: analysis.windows.map((w) => w.estimated?.rocAuc ?? null),
            borderColor: SERIES_COLOURS.rejected,
            backgroundColor: SERIES_COLOURS.rejected,
            borderDash: [6, 3],
          },
          {
            label: 'estimate band (lower)',
            data: analysis.windows.map((w) => w.estimated?.rocAucLower ?? null),
            borderColor: SERIES_COLOURS.reference,
            pointRadius: 0,
            borderWidth: 1,
          },
          {
            label: 'estimate band (upper)',
            data: analysis.windows.map((w) => w.estimated?.rocAucUpper ?? null),
            borderColor: SERIES_COLOURS.reference,
            pointRadius: 0,
            borderWidth: 1,
            fill: '-1',
          },
          ...(baseline === null
            ? []
            : [
                {
                  label: `baseline (${analysis.baseline!.source})`,
                  data: labels.map(() => baseline),
                  borderColor: SERIES_COLOURS.error,
                  pointRadius: 0,
                  borderWidth: 1,
                },
              ]),
        ],
      }}
    />
  );
}

function WindowTable({ analysis }: { analysis: Analysis }) {
  return (
    <table className="data-table" aria-label="Performance per day">
      <thead>
        <tr>
          <th>Day</th>
          <th>Scored</th>
          <th>Outcomes</th>
          <th>Realised AUC</th>
          <th>Estimated AUC [band]</th>
          <th>Brier</th>
          <th>ECE</th>
          <th>Precision</th>
          <th>Recall</th>
          <th>Cost / applicant</th>
          <th>Median lag (days)</th>
        </tr>
      </thead>
      <tbody>
        {analysis.windows.map((w) => (
          <tr key={w.start} data-day={day(w.start)}>
            <td>{day(w.start)}</td>
            <td>{formatCount(w.count)}</td>
            <td>{formatPercent(w.coverage)}</td>
            <td>{f3(w.realised?.rocAuc)}</td>
            <td>
              {f3(w.estimated?.rocAuc)} [{f3(w.estimated?.rocAucLower)}, {f3(w.estimated?.rocAucUpper)}]
            </td>
            <td>{f3(w.realised?.brier)}</td>
            <td>{f3(w.realised?.ece)}</td>
            <td>{f3(w.realised?.atThreshold.precision ?? w.estimated?.atThreshold.precision)}</td>
            <td>{f3(w.realised?.atThreshold.recall ?? w.estimated?.atThreshold.recall)}</td>
            <td>{f3(w.realised?.atThreshold.costPerApplicant ?? w.estimated?.atThreshold.costPerApplicant)}</td>
            <td>{w.medianLagDays === null ? '–' : w.medianLagDays.toFixed(0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Calibration({ analysis }: { analysis: Analysis }) {
  const bins = analysis.overall.realised?.bins ?? [];
  if (bins.length === 0) return <p className="muted">Not enough outcomes in this period for calibration.</p>;
  return (
    <table className="data-table" aria-label="Calibration bins">
      <thead>
        <tr>
          <th>Predicted probability</th>
          <th>Applicants</th>
          <th>Mean predicted</th>
          <th>Observed default rate</th>
        </tr>
      </thead>
      <tbody>
        {bins
          .filter((b) => b.count > 0)
          .map((b) => (
            <tr key={b.lower}>
              <td>
                {b.lower.toFixed(1)}–{b.upper.toFixed(1)}
              </td>
              <td>{formatCount(b.count)}</td>
              <td>{formatPercent(b.meanPredicted, 1)}</td>
              <td>{formatPercent(b.observedDefaultRate, 1)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

function Segments({ analysis }: { analysis: Analysis }) {
  return (
    <table className="data-table" aria-label="Fairness per segment">
      <thead>
        <tr>
          <th>Segment</th>
          <th>Group</th>
          <th>Applicants</th>
          <th>Approval rate</th>
          <th>Ratio to best group</th>
          <th>Realised AUC</th>
          <th>Estimated AUC</th>
        </tr>
      </thead>
      <tbody>
        {analysis.segments.flatMap((s) =>
          s.groups.map((g) => (
            <tr key={`${s.segment}/${g.group}`} className={g.flagged ? 'flagged' : undefined}>
              <td>{s.segment}</td>
              <td>{g.group}</td>
              <td>{formatCount(g.count)}</td>
              <td>{formatPercent(g.approvalRate)}</td>
              <td>
                {g.approvalRatio === null ? '– (too few)' : g.approvalRatio.toFixed(2)}
                {g.flagged ? <span className="badge warn"> below 0.8</span> : null}
              </td>
              <td>{f3(g.realisedRocAuc)}</td>
              <td>{f3(g.estimatedRocAuc)}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

function Alerts({ alerts, onAcknowledge }: { alerts: AlertView[]; onAcknowledge: (id: number) => void }) {
  if (alerts.length === 0) return <p className="muted">No alert in this period.</p>;
  return (
    <ul className="findings" aria-label="Alerts">
      {alerts.map((a) => (
        <li key={a.id} className={`finding ${a.severity}`} data-rule={a.rule} data-state={a.state}>
          <span className={`badge ${a.severity === 'critical' ? 'bad' : 'warn'}`}>{a.severity}</span>
          <span className="finding-metric">{a.rule}</span>
          <span className="badge info">{a.state}</span>
          <span className="finding-period">{formatPeriod(a.periodStart, a.periodEnd)}</span>
          <span className="finding-text">{a.message}</span>
          {a.state === 'firing' ? (
            <button type="button" onClick={() => onAcknowledge(a.id)} aria-label={`Acknowledge alert ${a.id}`}>
              Acknowledge
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function PerformancePage() {
  const { performance, client } = useApp();
  const state = useSlice(performance, (s) => s);
  const [lastRange, setLastRange] = useState<TimeRange>({});
  const load = useCallback(
    (r: TimeRange) => {
      setLastRange(r);
      void performance.getState().load({ range: r });
    },
    [performance],
  );
  useLoadOnRange(load);
  const acknowledge = (id: number) =>
    void client.call('acknowledgeAlert', { id }).then(() => performance.getState().load({ range: lastRange }));

  if (isNoDataError(state.error)) return <NoData />;
  const data = state.data;
  if (!data) return state.error ? <ErrorNote error={state.error} /> : <p className="loading">Computing performance…</p>;
  const a = data.analysis;
  const firing = data.alerts.filter((x) => x.state === 'firing').length;
  return (
    <div
      className="page performance"
      aria-busy={state.status === 'loading'}
      data-loaded={`${data.range.from}-${data.range.to}`}
    >
      <ErrorNote error={state.error} />
      {data.retraining ? (
        <div className="notice bad" role="alert" data-testid="retraining">
          <strong>Retraining recommended.</strong> {data.retraining.message}. Command:{' '}
          <code>{data.retraining.command}</code>
        </div>
      ) : null}
      {!a ? (
        <EmptyState title="No scored answers of the champion in this period">
          Choose another period, or import logs and outcomes on the Sources page.
        </EmptyState>
      ) : (
        <>
          <div className="stats">
            <Stat
              label="Realised AUC"
              value={f3(a.overall.realised?.rocAuc)}
              hint={`${formatCount(a.overall.labelled)} outcomes`}
            />
            <Stat
              label="Estimated AUC"
              value={f3(a.overall.estimated?.rocAuc)}
              hint={
                a.overall.estimated
                  ? `band ${f3(a.overall.estimated.rocAucLower)}–${f3(a.overall.estimated.rocAucUpper)}`
                  : 'no calibration data'
              }
            />
            <Stat
              label="Validation AUC"
              value={f3(a.validation?.rocAuc)}
              hint={a.validation?.model ?? 'no package metrics'}
            />
            <Stat label="Baseline AUC" value={f3(a.baseline?.rocAuc)} hint={a.baseline?.source ?? ''} />
            <Stat
              label="Label coverage"
              value={formatPercent(a.overall.coverage)}
              hint={`median lag ${a.overall.medianLagDays?.toFixed(0) ?? '–'} days`}
            />
            <Stat
              label="Cost per applicant"
              value={f3(a.overall.realised?.atThreshold.costPerApplicant)}
              hint={`10:1; validation ${f3(a.validation?.costPerApplicant)}`}
            />
            <Stat label="Firing alerts" value={String(firing)} tone={firing > 0 ? 'bad' : 'good'} />
          </div>
          <Panel
            title="ROC AUC over time"
            subtitle="realised where outcomes are known; CBPE estimate with ±3 sampling errors"
          >
            <AucChart analysis={a} />
          </Panel>
          <Panel
            title="Per day"
            subtitle={`CBPE calibrated on ${formatCount(a.reference?.labelled ?? 0)} outcomes of ${a.reference ? formatPeriod(a.reference.from, a.reference.to) : '–'}; ${formatCount(a.outcomes.unmatchedByRequest)} outcomes without a prediction, ${formatCount(a.outcomes.conflicts)} conflicts kept aside`}
          >
            <WindowTable analysis={a} />
          </Panel>
          <div className="grid-2">
            <Panel title="Calibration" subtitle="realised, over the period">
              <Calibration analysis={a} />
            </Panel>
            <Panel
              title="Fairness per segment"
              subtitle="approval-rate ratio against the best-treated group (four-fifths rule)"
            >
              <Segments analysis={a} />
            </Panel>
          </div>
        </>
      )}
      <Panel title={`Alerts (${data.alerts.length})`} subtitle={data.notes.join(' ')}>
        <Alerts alerts={data.alerts} onAcknowledge={acknowledge} />
      </Panel>
      <Panel title="Webhook deliveries" subtitle="latest first">
        {data.deliveries.length === 0 ? (
          <p className="muted">No deliveries (no webhook set, or nothing fired).</p>
        ) : (
          <ul aria-label="Webhook deliveries">
            {data.deliveries.map((d) => (
              <li key={d.id}>
                {formatTime(d.deliveredAt)} {d.event} {d.rule} to {d.target}: {d.status} after {d.attempts} tries
                {d.error ? ` (${d.error})` : ''}
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}
