/** Models: every registered version with its card, two side by side, the alias history, promote and roll back. */
import { useCallback, useEffect, useState } from 'react';
import type { ModelsResult, ModelVersionView } from '../../../console-api/models-profiling.ts';
import { useApp } from '../app-context.tsx';
import { LineChart, SERIES_COLOURS } from '../components/charts.tsx';
import { ErrorNote, Panel, Stat } from '../components/common.tsx';
import { errorOf } from '../stores/resource-store.ts';
import { AliasChangeForm } from './alias-change-form.tsx';

const pct = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)} %`;
const fixed = (value: number | null | undefined, digits = 4) =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
const key = (v: ModelVersionView) => `${v.name}/${v.version}`;

function ReliabilityDiagram({ card }: { card: ModelVersionView }) {
  const bins = card.metrics.calibration.filter((bin) => bin.count > 0);
  if (bins.length === 0) return <p className="hint">metrics.json has no calibration bins.</p>;
  return (
    <LineChart
      label={`Reliability diagram of version ${card.version}: observed default rate against mean predicted probability per bin`}
      xTitle="mean predicted probability (bin)"
      yTitle="observed default rate"
      yMax={1}
      data={{
        labels: bins.map((bin) => bin.mean_predicted.toFixed(2)),
        datasets: [
          {
            label: 'observed default rate',
            data: bins.map((bin) => bin.observed_default_rate),
            borderColor: SERIES_COLOURS.current,
            backgroundColor: SERIES_COLOURS.current,
          },
          {
            label: 'perfect calibration',
            data: bins.map((bin) => bin.mean_predicted),
            borderColor: SERIES_COLOURS.reference,
            borderDash: [4, 4],
            pointRadius: 0,
          },
        ],
      }}
    />
  );
}

function CostCurve({ card }: { card: ModelVersionView }) {
  const points = card.costCurve.points;
  if (points.length === 0) return <p className="hint">No labelled reference sample to draw the cost curve from.</p>;
  return (
    <LineChart
      label={`Business cost per applicant against the threshold for version ${card.version}, chosen threshold ${card.threshold} marked`}
      xTitle="threshold (refuse when probability ≥ threshold)"
      yTitle="cost per applicant"
      data={{
        labels: points.map((p) => p.threshold.toFixed(3)),
        datasets: [
          {
            label: 'cost per applicant',
            data: points.map((p) => p.costPerApplicant),
            borderColor: SERIES_COLOURS.p50,
            pointRadius: 0,
          },
          {
            label: `chosen threshold ${card.threshold}`,
            data: points.map((p) => (p.threshold === card.threshold ? p.costPerApplicant : null)),
            borderColor: SERIES_COLOURS.error,
            backgroundColor: SERIES_COLOURS.error,
            pointRadius: 6,
            showLine: false,
          },
        ],
      }}
    />
  );
}

function VersionCard({ card }: { card: ModelVersionView }) {
  const m = card.metrics;
  const at = m.atThreshold;
  return (
    <Panel
      title={`${card.name} version ${card.version}`}
      subtitle={`${card.kind}${card.aliases.length ? ` · ${card.aliases.join(', ')}` : ''}`}
      className="model-card"
    >
      <p>{card.description}</p>
      <div className="stats">
        <Stat label="AUC" value={fixed(m.rocAuc)} hint={`${m.validationRows ?? '–'} validation rows`} />
        <Stat label="Brier" value={fixed(m.brier)} />
        <Stat label="Log loss" value={fixed(m.logLoss)} />
        <Stat
          label="ONNX parity"
          value={m.parity.maxAbsDiff === null ? '–' : m.parity.maxAbsDiff.toExponential(2)}
          hint={`max abs diff vs native, tolerance ${m.parity.tolerance ?? '–'}`}
          tone={
            m.parity.maxAbsDiff !== null && m.parity.tolerance !== null && m.parity.maxAbsDiff <= m.parity.tolerance
              ? 'good'
              : 'warn'
          }
        />
      </div>
      <h3>At the threshold {card.threshold}</h3>
      <div className="stats">
        <Stat label="Precision" value={pct(at.precision)} />
        <Stat label="Recall" value={pct(at.recall)} />
        <Stat label="Approval rate" value={pct(at.approvalRate)} />
        <Stat
          label="Cost per applicant"
          value={fixed(at.costPerApplicant, 3)}
          hint={`missed default ${at.costFalseNegative ?? '–'}, refused good ${at.costFalsePositive ?? '–'}`}
        />
      </div>
      <h3>Reliability diagram</h3>
      <ReliabilityDiagram card={card} />
      <h3>Business cost against the threshold</h3>
      <p className="hint">
        On the package&apos;s labelled reference sample ({card.costCurve.rows.toLocaleString('en')} applicants).
      </p>
      <CostCurve card={card} />
      <h3>Per segment (validation split)</h3>
      <table className="table" aria-label={`Per-segment figures of version ${card.version}`}>
        <thead>
          <tr>
            <th scope="col">Segment</th>
            <th scope="col">Rows</th>
            <th scope="col">Default rate</th>
            <th scope="col">AUC</th>
            <th scope="col">Approval rate</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(m.byGroup).flatMap(([field, groups]) =>
            Object.entries(groups).map(([value, f]) => (
              <tr key={`${field}=${value}`}>
                <td>
                  {field} = {value}
                </td>
                <td>{f.rows.toLocaleString('en')}</td>
                <td>{pct(f.default_rate)}</td>
                <td>{fixed(f.roc_auc)}</td>
                <td>{pct(f.approval_rate)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      <h3>Lineage (MLmodel)</h3>
      <dl className="lineage">
        <dt>Run id</dt>
        <dd>{card.lineage.runId ?? '–'}</dd>
        <dt>Created</dt>
        <dd>{card.lineage.created ?? '–'}</dd>
        <dt>Data fingerprint</dt>
        <dd className="path">{card.lineage.dataFingerprint ?? '–'}</dd>
        <dt>Code commit</dt>
        <dd className="path">
          {card.lineage.codeCommit ?? '–'}
          {card.lineage.codeDirty ? ' (uncommitted changes)' : ''}
        </dd>
        <dt>Libraries</dt>
        <dd>
          {Object.entries(card.lineage.libraryVersions)
            .map(([name, version]) => `${name} ${version}`)
            .join(', ') || '–'}
        </dd>
      </dl>
      {card.problems.map((problem) => (
        <p key={problem} className="notice">
          {problem}
        </p>
      ))}
    </Panel>
  );
}

function Comparison({ a, b }: { a: ModelVersionView; b: ModelVersionView }) {
  const rows: Array<[string, (v: ModelVersionView) => number | null, number]> = [
    ['AUC', (v) => v.metrics.rocAuc, 4],
    ['Brier', (v) => v.metrics.brier, 4],
    ['Log loss', (v) => v.metrics.logLoss, 4],
    ['Precision at threshold', (v) => v.metrics.atThreshold.precision, 4],
    ['Recall at threshold', (v) => v.metrics.atThreshold.recall, 4],
    ['Approval rate', (v) => v.metrics.atThreshold.approvalRate, 4],
    ['Cost per applicant', (v) => v.metrics.atThreshold.costPerApplicant, 4],
    ['Threshold', (v) => v.threshold, 3],
  ];
  return (
    <Panel title={`Version ${a.version} against version ${b.version}`} subtitle="validation split of each package">
      <table className="table" aria-label="Version comparison">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">Version {a.version}</th>
            <th scope="col">Version {b.version}</th>
            <th scope="col">Difference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, pick, digits]) => {
            const x = pick(a);
            const y = pick(b);
            return (
              <tr key={label}>
                <td>{label}</td>
                <td>{fixed(x, digits)}</td>
                <td>{fixed(y, digits)}</td>
                <td>{x === null || y === null ? '–' : `${y - x >= 0 ? '+' : ''}${(y - x).toFixed(digits)}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Panel>
  );
}

export function ModelsPage() {
  const { client } = useApp();
  const [data, setData] = useState<ModelsResult | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [compare, setCompare] = useState<string[]>([]);

  const apply = useCallback((result: ModelsResult) => {
    setData(result);
    setError(null);
    setCompare((current) => {
      if (current.length > 0) return current;
      const byAlias = (alias: string) => result.versions.find((v) => v.aliases.includes(alias));
      return [byAlias('champion'), byAlias('challenger')].filter((v) => v !== undefined).map(key);
    });
  }, []);
  const load = useCallback(
    () =>
      client
        .call('listModels', {})
        .then(apply)
        .catch((caught: unknown) => setError(errorOf(caught))),
    [client, apply],
  );
  useEffect(() => {
    void client
      .call('listModels', {})
      .then(apply)
      .catch((caught: unknown) => setError(errorOf(caught)));
  }, [client, apply]);

  if (!data)
    return error ? <ErrorNote error={error} onRetry={() => void load()} /> : <p className="loading">Loading…</p>;
  const toggle = (id: string) =>
    setCompare((current) => (current.includes(id) ? current.filter((c) => c !== id) : [...current, id].slice(-2)));
  const shown = compare.map((id) => data.versions.find((v) => key(v) === id)).filter((v) => v !== undefined);

  return (
    <div className="page models">
      <ErrorNote error={error} onRetry={() => void load()} />
      <Panel title="Registered versions" subtitle="tick two versions to compare them side by side">
        <table className="table" aria-label="Registered versions">
          <thead>
            <tr>
              <th scope="col">Compare</th>
              <th scope="col">Model</th>
              <th scope="col">Version</th>
              <th scope="col">Aliases</th>
              <th scope="col">Kind</th>
              <th scope="col">AUC</th>
              <th scope="col">Brier</th>
              <th scope="col">Threshold</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {data.versions.map((v) => (
              <tr key={key(v)} data-testid={`version-${v.version}`}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Compare version ${v.version}`}
                    checked={compare.includes(key(v))}
                    onChange={() => toggle(key(v))}
                  />
                </td>
                <td>{v.name}</td>
                <td>{v.version}</td>
                <td data-testid={`aliases-${v.version}`}>
                  {v.aliases.length
                    ? v.aliases.map((alias) => (
                        <span key={alias} className="badge">
                          {alias}
                        </span>
                      ))
                    : '–'}
                </td>
                <td>{v.kind}</td>
                <td>{fixed(v.metrics.rocAuc)}</td>
                <td>{fixed(v.metrics.brier)}</td>
                <td>{v.threshold}</td>
                <td>{v.lineage.created ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <AliasChangeForm data={data} onChanged={() => void load()} />
      {shown.length === 2 ? <Comparison a={shown[0]!} b={shown[1]!} /> : null}
      <div className="grid-2">
        {shown.map((card) => (
          <VersionCard key={key(card)} card={card} />
        ))}
      </div>
      <Panel title="Alias history" subtitle="every registration, promotion and rollback: who, when, why">
        <table className="table" aria-label="Alias history">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Alias</th>
              <th scope="col">Change</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {[...data.history].reverse().map((entry, i) => (
              <tr key={`${entry.at}-${i}`}>
                <td>{entry.at.replace('T', ' ').slice(0, 19)}</td>
                <td>{entry.by}</td>
                <td>{entry.action}</td>
                <td>{entry.alias ?? '–'}</td>
                <td>{entry.action === 'register' ? `version ${entry.to}` : `${entry.from ?? '–'} → ${entry.to}`}</td>
                <td>{entry.reason ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}
