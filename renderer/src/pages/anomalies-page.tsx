/** Anomalies: operational findings on a timeline; choosing one focuses every page on its period. */
import { useCallback } from 'react';
import type { AnomalyFinding, TimeRange } from '../../../console-api/types.ts';
import { useApp, useSlice } from '../app-context.tsx';
import { EmptyState, ErrorNote, Panel } from '../components/common.tsx';
import { formatCount, formatMs, formatPercent, formatPeriod } from '../format.ts';

function formatValue(value: number, unit: AnomalyFinding['unit']): string {
  if (unit === 'ms') return formatMs(value);
  if (unit === 'share') return formatPercent(value, 2);
  return `${formatCount(value)} requests`;
}
import { useLoadOnRange } from '../use-range.ts';
import { isNoDataError, NoData } from './no-data.tsx';

function Timeline(props: {
  findings: AnomalyFinding[];
  from: number;
  to: number;
  onSelect: (f: AnomalyFinding) => void;
}) {
  const width = 1000;
  const span = Math.max(1, props.to - props.from);
  const x = (t: number) => ((t - props.from) / span) * width;
  const rows: Record<string, number> = { critical: 8, warning: 30, info: 52 };
  const ticks = Array.from({ length: 6 }, (_, i) => props.from + (span * i) / 5);
  return (
    <svg
      className="timeline"
      viewBox={`0 0 ${width} 90`}
      preserveAspectRatio="none"
      role="img"
      aria-label="Anomalies over time by severity"
    >
      {Object.entries(rows).map(([severity, y]) => (
        <text key={severity} x={4} y={y + 11} className="timeline-lane">
          {severity}
        </text>
      ))}
      {props.findings.map((finding) => (
        <rect
          key={finding.id}
          x={x(finding.from)}
          y={rows[finding.severity]}
          width={Math.max(4, x(finding.to) - x(finding.from))}
          height={16}
          className={`timeline-mark ${finding.severity}`}
          onClick={() => props.onSelect(finding)}
        >
          <title>{`${finding.metric}: ${finding.explanation}`}</title>
        </rect>
      ))}
      {ticks.map((t) => (
        <text key={t} x={Math.min(width - 90, x(t))} y={86} className="timeline-tick">
          {new Date(t).toISOString().slice(5, 16).replace('T', ' ')}
        </text>
      ))}
    </svg>
  );
}

export function AnomaliesPage() {
  const { anomalies, range, ui } = useApp();
  const state = useSlice(anomalies, (s) => s);
  const load = useCallback((r: TimeRange) => void anomalies.getState().load({ range: r }), [anomalies]);
  useLoadOnRange(load);

  const focus = (finding: AnomalyFinding) => {
    // Some context either side of the finding, so the pages show the change rather than only its inside.
    const pad = Math.max(3_600_000, (finding.to - finding.from) * 2);
    range.getState().setCustom(finding.from - pad, finding.to + pad, `focused on ${finding.metric}`);
    ui.getState().setPage('overview');
  };

  if (isNoDataError(state.error)) return <NoData />;
  const data = state.data;
  if (!data) return state.error ? <ErrorNote error={state.error} /> : <p className="loading">Looking for anomalies…</p>;
  const findings = [...data.findings].sort((a, b) => b.from - a.from);

  return (
    <div
      className="page anomalies"
      aria-busy={state.status === 'loading'}
      data-loaded={data.range ? `${data.range.from}-${data.range.to}` : ''}
    >
      <ErrorNote error={state.error} />
      {data.range ? (
        <Panel title="Timeline" subtitle="each mark is a finding; choose one to focus every page on its period">
          <Timeline findings={data.findings} from={data.range.from} to={data.range.to} onSelect={focus} />
        </Panel>
      ) : null}
      {data.incidents.length > 0 ? (
        <Panel
          title={`Incidents (${data.incidents.length})`}
          subtitle="findings of neighbouring hours grouped; severity from impact, newest first"
        >
          <ul className="findings incidents" aria-label="Incidents">
            {data.incidents.map((incident) => (
              <li
                key={`${incident.from}-${incident.to}`}
                className={`finding ${incident.severity}`}
                data-testid="incident"
              >
                <span
                  className={`badge ${incident.severity === 'critical' ? 'bad' : incident.severity === 'warning' ? 'warn' : 'info'}`}
                >
                  {incident.severity}
                </span>{' '}
                <span className="finding-text">{incident.summary}</span>
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
      {findings.length === 0 ? (
        <EmptyState title="No anomalies in this period">
          Latency, error, rejection and fallback rates and traffic stayed within their usual range.
        </EmptyState>
      ) : (
        <Panel title={`Findings (${findings.length})`} subtitle="newest first">
          <ul className="findings" aria-label="Anomaly findings">
            {findings.map((finding) => (
              <li key={finding.id} className={`finding ${finding.severity}`} data-metric={finding.metric}>
                <button
                  type="button"
                  onClick={() => focus(finding)}
                  aria-label={`Focus pages on ${finding.metric} anomaly`}
                >
                  <span
                    className={`badge ${finding.severity === 'critical' ? 'bad' : finding.severity === 'warning' ? 'warn' : 'info'}`}
                  >
                    {finding.severity}
                  </span>
                  <span className="finding-metric">{finding.label}</span>
                  <span className="finding-period">{formatPeriod(finding.from, finding.to)}</span>
                  <span className="finding-text">{finding.explanation}</span>
                  <span className="finding-numbers">
                    {formatValue(finding.value, finding.unit)} against a baseline of{' '}
                    {formatValue(finding.baseline, finding.unit)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </Panel>
      )}
    </div>
  );
}
