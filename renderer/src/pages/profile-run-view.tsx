/** One saved profiling run: recommendation, charts, every cell, where the time goes, compare with another run, export. */
import { useEffect, useState } from 'react';
import type { ProfileRunView as RunView } from '../../../console-api/models-profiling.ts';
import type { ProfileRow } from '../../../core/profiling/types.ts';
import { useApp } from '../app-context.tsx';
import { BarChart, LineChart } from '../components/charts.tsx';
import { ErrorNote, Panel } from '../components/common.tsx';
import { formatMoney } from '../prices.ts';
import { errorOf } from '../stores/resource-store.ts';

const PALETTE = ['#2f7ed8', '#d64545', '#2f9e6e', '#8a63d2', '#d9a400', '#8893a5', '#e07b39', '#1d9bb2'];
const cellKey = (r: ProfileRow) =>
  `${r.ref} v${r.version || '?'} · ${r.provider} · ${r.workers}w · ${r.graph_optimization}`;
const n = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined ? '–' : Number(v.toPrecision(digits)).toLocaleString('en');

function byConfig(rows: ProfileRow[]) {
  const groups = new Map<string, ProfileRow[]>();
  for (const row of rows.filter((r) => r.status === 'ok'))
    groups.set(cellKey(row), [...(groups.get(cellKey(row)) ?? []), row]);
  return groups;
}

function SeriesChart(props: { rows: ProfileRow[]; pick: (r: ProfileRow) => number | null; label: string; y: string }) {
  const sizes = [...new Set(props.rows.map((r) => r.batch_size))].sort((a, b) => a - b);
  const datasets = [...byConfig(props.rows)].map(([name, group], i) => ({
    label: name,
    data: sizes.map((size) => {
      const row = group.find((r) => r.batch_size === size);
      return row ? props.pick(row) : null;
    }),
    borderColor: PALETTE[i % PALETTE.length],
    backgroundColor: PALETTE[i % PALETTE.length],
  }));
  return (
    <LineChart
      label={props.label}
      xTitle="batch size (applicants per call)"
      yTitle={props.y}
      data={{ labels: sizes.map(String), datasets }}
    />
  );
}

async function download(client: ReturnType<typeof useApp>['client'], id: string, format: 'html' | 'json') {
  const file = await client.call('exportProfileReport', { id, format });
  const blob = new Blob([file.content], { type: format === 'html' ? 'text/html' : 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return file.fileName;
}

export function ProfileRunView({ id, against }: { id: string; against: string | null }) {
  const { client } = useApp();
  const [view, setView] = useState<RunView | null>(null);
  const [other, setOther] = useState<RunView | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [exported, setExported] = useState<string | null>(null);

  useEffect(() => {
    void client
      .call('getProfileRun', { id })
      .then(setView)
      .catch((e) => setError(errorOf(e)));
  }, [client, id]);
  useEffect(() => {
    if (!against) return;
    void client
      .call('getProfileRun', { id: against })
      .then(setOther)
      .catch((e) => setError(errorOf(e)));
  }, [client, against]);

  if (!view) return error ? <ErrorNote error={error} /> : <p className="loading">Loading the run…</p>;
  const { result, report } = view;
  const m = result.machine;
  const currency = result.prices.currency;
  const exportAs = async (format: 'html' | 'json') => {
    try {
      setExported(`Report saved: ${await download(client, id, format)} in your downloads`);
    } catch (caught) {
      setError(errorOf(caught));
    }
  };
  const engine = report.bottleneck.engine;

  return (
    <div className="profile-run" data-testid="profile-run">
      <Panel
        title="Optimisation report"
        subtitle={`${m.cpu_model}, ${m.cores} cores, load average ${m.load_average.join(' / ')}, onnxruntime-node ${m.onnxruntime}`}
        actions={
          <>
            <button type="button" onClick={() => void exportAs('html')}>
              Export HTML
            </button>{' '}
            <button type="button" onClick={() => void exportAs('json')}>
              Export JSON
            </button>
          </>
        }
      >
        {report.justification.map((line) => (
          <p key={line}>{line}</p>
        ))}
        <table className="table" aria-label="Strategies tried">
          <thead>
            <tr>
              <th scope="col">Strategy</th>
              <th scope="col">Tried</th>
              <th scope="col">Best gain</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {report.strategies.map((s) => (
              <tr key={s.name}>
                <td>{s.name}</td>
                <td>{s.tried.join(', ')}</td>
                <td>{s.gain === null ? '–' : `${s.gain.toFixed(2)}×`}</td>
                <td>{s.verdict}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint">
          Accuracy check {report.accuracy.ok ? 'passed' : 'not passed'}: {report.accuracy.checks.length} figures
          compared within tolerance.
        </p>
        {exported ? (
          <p className="notice" role="status" data-testid="profile-exported">
            {exported}
          </p>
        ) : null}
        <ErrorNote error={error} />
      </Panel>
      <div className="grid-2">
        <Panel title="Throughput vs batch size" subtitle="rows per second, every worker busy">
          <SeriesChart
            rows={result.rows}
            pick={(r) => r.rows_per_s}
            label="Throughput against batch size per variant and provider"
            y="rows/s"
          />
        </Panel>
        <Panel title="Latency vs batch size" subtitle="p99 milliseconds per call">
          <SeriesChart
            rows={result.rows}
            pick={(r) => r.p99_ms}
            label="p99 latency against batch size per variant and provider"
            y="p99 ms"
          />
        </Panel>
      </div>
      <Panel
        title="Every cell"
        subtitle={`cost per 1 000 predictions at ${result.prices.coreHour} ${currency}/core-hour, ${result.prices.gpuHour} ${currency}/GPU-hour`}
      >
        <table className="table" aria-label="Profiling results">
          <thead>
            <tr>
              {[
                'Variant',
                'Provider',
                'Workers × threads',
                'Graph',
                'Batch',
                'Status',
                'rows/s',
                'p50 ms',
                'p95 ms',
                'p99 ms',
                'Load ms',
                'Warm-up ms',
                'RSS MB',
                'Parity',
                'Cost / 1 000',
              ].map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((r, i) => (
              <tr key={i}>
                <td>
                  {r.ref} (v{r.version || '?'})
                </td>
                <td>{r.provider}</td>
                <td>
                  {r.workers} × {r.intra_op_threads}
                </td>
                <td>{r.graph_optimization}</td>
                <td>{r.batch_size}</td>
                <td className={r.status === 'ok' ? undefined : 'status-reason'}>{r.status}</td>
                <td>{n(r.rows_per_s, 4)}</td>
                <td>{n(r.p50_ms)}</td>
                <td>{n(r.p95_ms)}</td>
                <td>{n(r.p99_ms)}</td>
                <td>{n(r.load_ms)}</td>
                <td>{n(r.warmup_ms)}</td>
                <td>{n(r.rss_mb)}</td>
                <td>{r.parity_max_abs_diff === null ? '–' : r.parity_max_abs_diff.toExponential(1)}</td>
                <td>{formatMoney(r.cost_per_1000, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title="Where the time goes" subtitle="measured in the engine, and from the API's production logs">
        <p>{report.bottleneck.text}</p>
        {result.stages.length ? (
          <BarChart
            label="Mean time per micro-batch by engine stage"
            xTitle="configuration"
            yTitle="ms per micro-batch"
            stacked
            data={{
              labels: result.stages.map((s) => `v${s.version} ${s.provider} ${s.workers}w ${s.graph_optimization}`),
              datasets: (['queue', 'pack', 'transfer', 'inference', 'return'] as const).map((stage, i) => ({
                label: stage,
                data: result.stages.map((s) => s[`${stage}_ms`]),
                backgroundColor: PALETTE[i],
              })),
            }}
          />
        ) : null}
        {engine ? null : <p className="hint">No stage split: no configuration ran.</p>}
        {report.bottleneck.api.length ? (
          <LineChart
            label="API latency split per hour from production logs"
            xTitle="hour (UTC)"
            yTitle="mean ms per request"
            data={{
              labels: report.bottleneck.api.map((h) => new Date(h.hour).toISOString().slice(5, 13).replace('T', ' ')),
              datasets: [
                { label: 'queue', data: report.bottleneck.api.map((h) => h.queue_ms), borderColor: PALETTE[0] },
                { label: 'inference', data: report.bottleneck.api.map((h) => h.inference_ms), borderColor: PALETTE[1] },
                { label: 'total', data: report.bottleneck.api.map((h) => h.total_ms), borderColor: PALETTE[2] },
              ],
            }}
          />
        ) : null}
      </Panel>
      {other && against === other.id ? (
        <Panel title="Run against run" subtitle="rows/s of the chosen run over the compared one, cell by cell">
          <table className="table" aria-label="Run comparison">
            <thead>
              <tr>
                <th scope="col">Cell</th>
                <th scope="col">Batch</th>
                <th scope="col">This run rows/s</th>
                <th scope="col">Other run rows/s</th>
                <th scope="col">Ratio</th>
              </tr>
            </thead>
            <tbody>
              {result.rows
                .filter((r) => r.status === 'ok')
                .map((r, i) => {
                  const twin = other.result.rows.find(
                    (o) => cellKey(o) === cellKey(r) && o.batch_size === r.batch_size,
                  );
                  return (
                    <tr key={i}>
                      <td>{cellKey(r)}</td>
                      <td>{r.batch_size}</td>
                      <td>{n(r.rows_per_s, 4)}</td>
                      <td>{n(twin?.rows_per_s, 4)}</td>
                      <td>
                        {twin?.rows_per_s && r.rows_per_s ? `${(r.rows_per_s / twin.rows_per_s).toFixed(2)}×` : '–'}
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
          <p className="hint">
            Other run: {other.result.machine.cpu_model}, load average {other.result.machine.load_average.join(' / ')}.
          </p>
        </Panel>
      ) : null}
    </div>
  );
}
