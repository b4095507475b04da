/** Overview: traffic by status, decisions, latency, probability distribution against the reference, model versions. */
import { useCallback } from 'react';
import { useApp, useSlice } from '../app-context.tsx';
import { BarChart, LineChart, SERIES_COLOURS } from '../components/charts.tsx';
import { EmptyState, ErrorNote, Panel, Stat } from '../components/common.tsx';
import { InferenceCostPanel } from '../components/inference-cost-panel.tsx';
import { formatBucketLabel, formatCount, formatDuration, formatMs, formatPercent, formatTime } from '../format.ts';
import { useLoadOnRange } from '../use-range.ts';
import { isNoDataError, NoData } from './no-data.tsx';

export function OverviewPage() {
  const { overview } = useApp();
  const state = useSlice(overview, (s) => s);
  const load = useCallback((range: object) => void overview.getState().load({ range, bucket: 'auto' }), [overview]);
  useLoadOnRange(load);

  if (isNoDataError(state.error)) return <NoData />;
  const data = state.data;
  if (!data)
    return state.error ? (
      <ErrorNote error={state.error} onRetry={() => void state.reload()} />
    ) : (
      <p className="loading">Loading…</p>
    );
  if (data.totals.requests === 0) {
    return (
      <EmptyState title="No requests in this period">
        Choose a wider time range in the header, or import more logs on the Sources page.
      </EmptyState>
    );
  }
  const labels = data.series.map((p) => formatBucketLabel(p.t, data.bucketMs));
  const statuses = ['ok', 'invalid', 'rejected', 'error'] as const;
  const t = data.totals;
  const edges = data.probability.edges;
  const binLabels = data.probability.current.map(
    (_, i) => `${(edges[i] ?? 0).toFixed(2)}–${(edges[i + 1] ?? 1).toFixed(2)}`,
  );

  return (
    <div
      className="page overview"
      aria-busy={state.status === 'loading'}
      data-loaded={data.range ? `${data.range.from}-${data.range.to}` : ''}
    >
      <ErrorNote error={state.error} onRetry={() => void state.reload()} />
      <div className="stats">
        <Stat label="Requests" value={formatCount(t.requests)} hint={`${formatCount(t.ok)} scored`} />
        <Stat label="Approval rate" value={formatPercent(t.approvalRate)} hint="of scored applicants" />
        <Stat
          label="Error rate"
          value={formatPercent(t.errorRate, 2)}
          hint="5xx answers"
          tone={(t.errorRate ?? 0) > 0.01 ? 'bad' : 'good'}
        />
        <Stat
          label="Fallback rate"
          value={formatPercent(t.fallbackRate, 2)}
          hint="served by fallback or rules"
          tone={(t.fallbackRate ?? 0) > 0.01 ? 'warn' : 'good'}
        />
        <Stat label="Latency p50" value={formatMs(data.latency.p50)} />
        <Stat label="Latency p95" value={formatMs(data.latency.p95)} />
        <Stat
          label="Latency p99"
          value={formatMs(data.latency.p99)}
          tone={(data.latency.p99 ?? 0) > 250 ? 'warn' : undefined}
        />
      </div>
      <InferenceCostPanel />
      <div className="grid-2">
        <Panel title="Requests over time" subtitle={`per ${formatDuration(data.bucketMs)}, by status`}>
          <BarChart
            label="Requests over time by status"
            xTitle="time (UTC)"
            yTitle="requests"
            stacked
            data={{
              labels,
              datasets: statuses.map((status) => ({
                label: status,
                data: data.series.map((p) => p[status]),
                backgroundColor: SERIES_COLOURS[status],
              })),
            }}
          />
        </Panel>
        <Panel title="Latency" subtitle={`p50, p95, p99 per ${formatDuration(data.bucketMs)}`}>
          <LineChart
            label="Latency percentiles over time"
            xTitle="time (UTC)"
            yTitle="milliseconds"
            data={{
              labels: data.latencySeries.map((p) => formatBucketLabel(p.t, data.bucketMs)),
              datasets: (['p50', 'p95', 'p99'] as const).map((q) => ({
                label: q,
                data: data.latencySeries.map((p) => p[q]),
                borderColor: SERIES_COLOURS[q],
                backgroundColor: SERIES_COLOURS[q],
                pointRadius: 0,
                borderWidth: 1.5,
                spanGaps: true,
              })),
            }}
          />
        </Panel>
        <Panel
          title="Probability of default"
          subtitle="share of scored applicants per bin, current vs champion reference"
        >
          <BarChart
            label="Predicted probability distribution against the reference"
            xTitle="predicted probability"
            yTitle="share of applicants"
            data={{
              labels: binLabels,
              datasets: [
                { label: 'current', data: data.probability.current, backgroundColor: SERIES_COLOURS.current },
                ...(data.probability.reference
                  ? [
                      {
                        label: 'reference',
                        data: data.probability.reference,
                        backgroundColor: SERIES_COLOURS.reference,
                      },
                    ]
                  : []),
              ],
            }}
          />
        </Panel>
        <Panel
          title="Model versions in traffic"
          subtitle="requests per model version in this period; shares are of every request, those no model answered included"
        >
          <table className="table" aria-label="Model versions in traffic">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Version</th>
                <th scope="col">Alias now</th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col" className="num">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {data.modelVersions.map((row) => (
                <tr key={`${row.model}-${row.version}`}>
                  <td>{row.model}</td>
                  <td>{row.version}</td>
                  <td>
                    {row.aliases.length > 0 ? row.aliases.join(', ') : row.unregistered ? 'not in the registry' : '—'}
                  </td>
                  <td>{formatTime(row.firstSeen)}</td>
                  <td>{formatTime(row.lastSeen)}</td>
                  <td className="num">{formatCount(row.count)}</td>
                  <td className="num">{formatPercent(row.count / t.requests)}</td>
                </tr>
              ))}
              {data.requestsWithoutModel > 0 ? (
                <tr className="muted" data-testid="requests-without-model">
                  <td colSpan={5}>no model: refused before scoring (invalid, unauthenticated, rate-limited, failed)</td>
                  <td className="num">{formatCount(data.requestsWithoutModel)}</td>
                  <td className="num">{formatPercent(data.requestsWithoutModel / t.requests)}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </Panel>
      </div>
    </div>
  );
}
