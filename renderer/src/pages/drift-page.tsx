/** Drift: the per-field table against the reference, the selected field's distributions and history, data quality. */
import { useCallback, useEffect, useRef } from 'react';
import type { TimeRange } from '../../../console-api/types.ts';
import { useApp, useSlice } from '../app-context.tsx';
import { BarChart, LineChart, SERIES_COLOURS } from '../components/charts.tsx';
import { EmptyState, ErrorNote, Panel, Sparkline, Stat } from '../components/common.tsx';
import { formatCount, formatPercent, formatStatistic, formatTime } from '../format.ts';
import { sortRows, type DriftSortKey } from '../stores/drift-store.ts';
import { useLoadOnRange } from '../use-range.ts';
import { isNoDataError, NoData } from './no-data.tsx';

const METHOD_NAMES: Record<string, string> = {
  psi: 'PSI',
  ks: 'Kolmogorov–Smirnov',
  wasserstein: 'Wasserstein (norm.)',
  chi2: 'Chi-square',
  jensen_shannon: 'Jensen–Shannon',
};

/** "KS/Wasserstein" for the methods still being computed. */
function pendingNames(methods: readonly string[]): string {
  return methods.map((m) => (m === 'ks' ? 'KS' : m === 'wasserstein' ? 'Wasserstein' : m)).join('/');
}

const COLUMNS: Array<[DriftSortKey, string]> = [
  ['field', 'Field'],
  ['method', 'Method'],
  ['statistic', 'Statistic'],
  ['threshold', 'Threshold'],
  ['verdict', 'Verdict'],
];

function FieldDetail() {
  const { drift } = useApp();
  const state = useSlice(drift, (s) => s);
  const anchor = useRef<HTMLDivElement>(null);
  const shown = state.detail?.field === state.selected ? state.selected : null;
  // A click on a row lower down the table brings its detail into view instead of leaving it off-screen.
  useEffect(() => {
    if (shown) anchor.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [shown]);
  if (!state.selected) {
    return <p className="hint">Select a field in the table to compare its distribution with the reference.</p>;
  }
  if (state.detailError)
    return <ErrorNote error={state.detailError} onRetry={() => void state.select(state.selected)} />;
  const detail = state.detail;
  if (!detail || detail.field !== state.selected) return <p className="loading">Loading {state.selected}…</p>;
  return (
    <div className="grid-2" ref={anchor} data-testid="field-detail" aria-busy={state.detailStatus === 'loading'}>
      <Panel title={`${detail.field}: reference vs current`} subtitle="share of values per bin or category">
        <BarChart
          label={`Distribution of ${detail.field}, reference against current`}
          xTitle={detail.kind === 'category' ? 'category' : 'value bin (reference deciles)'}
          yTitle="share of records"
          data={{
            labels: detail.labels,
            datasets: [
              { label: 'reference', data: detail.reference, backgroundColor: SERIES_COLOURS.reference },
              { label: 'current', data: detail.current, backgroundColor: SERIES_COLOURS.current },
            ],
          }}
        />
      </Panel>
      <Panel
        title={`${METHOD_NAMES[detail.method] ?? detail.method} over time`}
        subtitle={
          detail.pending
            ? `${METHOD_NAMES[detail.method] ?? detail.method}: computing…`
            : `threshold ${formatStatistic(detail.threshold)}`
        }
      >
        <LineChart
          label={`${detail.method} statistic of ${detail.field} per window`}
          xTitle="window start (UTC)"
          yTitle={METHOD_NAMES[detail.method] ?? detail.method}
          data={{
            labels: detail.series.map((p) => formatTime(p.t).slice(5, 16)),
            datasets: [
              {
                label: detail.method,
                data: detail.series.map((p) => p.statistic),
                borderColor: SERIES_COLOURS.current,
                backgroundColor: SERIES_COLOURS.current,
                pointRadius: 2,
                spanGaps: true,
              },
              {
                label: 'threshold',
                data: detail.series.map(() => detail.threshold),
                borderColor: SERIES_COLOURS.error,
                borderDash: [4, 4],
                pointRadius: 0,
              },
            ],
          }}
        />
      </Panel>
    </div>
  );
}

export function DriftPage() {
  const { drift } = useApp();
  const state = useSlice(drift, (s) => s);
  const load = useCallback((range: TimeRange) => void drift.getState().load(range), [drift]);
  useLoadOnRange(load);

  if (isNoDataError(state.error)) return <NoData />;
  const result = state.result;
  if (!result) return state.error ? <ErrorNote error={state.error} /> : <p className="loading">Computing drift…</p>;
  if (result.currentCount === 0) {
    return <EmptyState title="No scored requests in this period">Choose a wider time range in the header.</EmptyState>;
  }
  const rows = sortRows(result.fields, state.sort);
  const drifted = result.driftedFields;
  const prediction = result.fields.find((row) => row.kind === 'prediction');
  const pending = result.pending.length > 0 ? pendingNames(result.pending) : null;
  const sampled =
    result.sampleStep > 1 ? `; KS and Wasserstein over one hour in ${result.sampleStep}, spread over the period` : '';

  return (
    <div
      className="page drift"
      aria-busy={state.status === 'loading'}
      data-loaded={result.range ? `${result.range.from}-${result.range.to}` : ''}
    >
      <ErrorNote error={state.error} />
      <div className="stats">
        <Stat
          label="Verdict"
          value={result.datasetDrift ? 'Data set drift' : drifted > 0 ? 'Some fields drift' : 'No drift'}
          tone={result.datasetDrift ? 'bad' : drifted > 0 || prediction?.drifted ? 'warn' : 'good'}
          {...(pending ? { hint: `provisional until ${pending} are in` } : {})}
        />
        <Stat
          label="Drifted input fields"
          value={`${drifted} of ${result.comparedFields}`}
          hint={`share ${formatPercent(result.driftShare)}; the prediction is judged apart`}
        />
        <Stat
          label="Prediction"
          value={prediction ? (prediction.drifted ? 'Drift' : 'No drift') : '—'}
          tone={prediction?.drifted ? 'bad' : 'good'}
          hint={
            result.predictionByServedBy.length > 1
              ? result.predictionByServedBy
                  .map((p) => `${p.servedBy} ${formatCount(p.records)}: ${p.drifted ? 'drift' : 'ok'}`)
                  .join(' · ')
              : 'scored records, every answerer'
          }
        />
        <Stat
          label="Records compared"
          value={formatCount(result.currentCount)}
          hint={`scored records${sampled}; data quality counts ${formatCount(result.populations.quality.records)} (scored and invalid); reference: ${result.reference}`}
        />
      </div>
      {pending ? (
        <p className="notice pending" role="status" data-testid="drift-pending">
          {pending}: computing… The table shows PSI, chi-square and Jensen–Shannon over every record; verdicts that
          depend on {pending} may still change.
        </p>
      ) : null}
      {result.pendingError ? (
        <p className="notice pending" role="status">
          {pendingNames(['ks', 'wasserstein'])} could not be computed ({result.pendingError}); verdicts use the other
          methods.
        </p>
      ) : null}
      <Panel
        title="Fields"
        subtitle={
          result.rule === 'auto'
            ? 'each verdict is made by one test chosen by field type and reference size (Evidently’s rule: KS or chi-square up to 1 000 reference values, else Wasserstein or Jensen–Shannon distance); every method is listed; click a column to sort, a row for details'
            : `each verdict is the ${result.rule} vote of every method listed; click a column to sort, a row for details`
        }
      >
        <table className="table drift-table" aria-label="Drift per field">
          <thead>
            <tr>
              {COLUMNS.map(([key, label]) => (
                <th
                  key={key}
                  scope="col"
                  aria-sort={state.sort.key === key ? (state.sort.descending ? 'descending' : 'ascending') : 'none'}
                  className={key === 'statistic' || key === 'threshold' ? 'num' : undefined}
                >
                  <button type="button" className="sort" onClick={() => state.sortBy(key)}>
                    {label}
                    {state.sort.key === key ? (state.sort.descending ? ' ▾' : ' ▴') : ''}
                  </button>
                </th>
              ))}
              <th scope="col">Trend</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.field}
                className={`${row.drifted ? 'drifted' : ''}${state.selected === row.field ? ' selected' : ''}`}
                data-field={row.field}
                data-drifted={row.drifted ? 'true' : 'false'}
                data-pending={row.pending ? 'true' : 'false'}
                tabIndex={0}
                aria-selected={state.selected === row.field}
                onClick={() => void state.select(row.field)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    void state.select(row.field);
                  }
                }}
              >
                <td className="field-name">{row.field}</td>
                <td>{METHOD_NAMES[row.method] ?? row.method}</td>
                <td className="num">
                  {row.pending && result.pending.includes(row.method) ? 'computing…' : formatStatistic(row.statistic)}
                </td>
                <td className="num">{formatStatistic(row.threshold)}</td>
                <td
                  title={row.methods
                    .map(
                      (m) =>
                        `${METHOD_NAMES[m.method] ?? m.method}: ${formatStatistic(m.statistic)} (${m.drifted ? 'drift' : 'ok'})`,
                    )
                    .join('\n')}
                >
                  {row.pending && result.pending.includes(row.method) ? (
                    <span className="badge info">Pending</span>
                  ) : (
                    <span className={`badge ${row.drifted ? 'bad' : 'good'}`}>{row.drifted ? 'Drift' : 'OK'}</span>
                  )}
                  <span className="votes" data-testid="verdict-methods">
                    {row.decidedBy.length === 1
                      ? `by ${METHOD_NAMES[row.decidedBy[0]!] ?? row.decidedBy[0]}: `
                      : 'vote: '}
                    {row.methods.map((m, i) => (
                      <span key={m.method} className={row.decidedBy.includes(m.method) ? 'decider' : 'other'}>
                        {i > 0 ? ' · ' : ''}
                        {METHOD_NAMES[m.method] ?? m.method}{' '}
                        {m.pValue !== null ? `p=${formatStatistic(m.pValue)}` : formatStatistic(m.statistic)}{' '}
                        {m.drifted ? '✗' : '✓'}
                      </span>
                    ))}
                    {row.pending ? ` · ${pending ?? 'KS/Wasserstein'}: computing…` : ''}
                  </span>
                </td>
                <td>
                  <Sparkline
                    values={row.trend}
                    threshold={row.threshold}
                    label={`${row.field} ${row.method} per window`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <FieldDetail />
      <Panel title="Data quality" subtitle="missing values and values outside what the reference has seen">
        <table className="table" aria-label="Data quality per field">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col" className="num">
                Missing (current)
              </th>
              <th scope="col" className="num">
                Missing (reference)
              </th>
              <th scope="col" className="num">
                Out of range
              </th>
              <th scope="col">Unseen categories</th>
            </tr>
          </thead>
          <tbody>
            {result.quality.map((row) => {
              const missingJump =
                row.referenceMissingRate !== null && row.missingRate - row.referenceMissingRate > 0.05;
              return (
                <tr
                  key={row.field}
                  className={missingJump || row.outOfRangeShare > 0.01 || row.unseenCategories.length > 0 ? 'warn' : ''}
                >
                  <td className="field-name">{row.field}</td>
                  <td className="num">{formatPercent(row.missingRate)}</td>
                  <td className="num">{formatPercent(row.referenceMissingRate)}</td>
                  <td className="num">{formatPercent(row.outOfRangeShare, 2)}</td>
                  <td>{row.unseenCategories.length > 0 ? row.unseenCategories.join(', ') : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}
