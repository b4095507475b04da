/**
 * Batch scoring: a dropped or picked file of applicants (CSV, JSONL, .gz) or the stored requests of the period,
 * scored by the chosen model, with progress and Cancel; then the invalid rows by line, the summary against the
 * reference, and the scored file to download.
 */
import { useEffect, useRef, useState } from 'react';
import type { BatchScoreResult, WhatIfRole, WhatIfSetup } from '../../../console-api/types.ts';
import { newOperationId } from '../api/client.ts';
import { useApp } from '../app-context.tsx';
import { BarChart, SERIES_COLOURS } from '../components/charts.tsx';
import { ErrorNote, Panel, ProgressBar, Stat } from '../components/common.tsx';
import { formatCount, formatPercent } from '../format.ts';
import { errorOf } from '../stores/resource-store.ts';
import { useRange } from '../use-range.ts';

export function BatchTab(props: { setup: WhatIfSetup }) {
  const { client } = useApp();
  const { key: _key, ...range } = useRange();
  const [file, setFile] = useState<File | null>(null);
  const [model, setModel] = useState<WhatIfRole>('champion');
  const [format, setFormat] = useState<'csv' | 'jsonl'>('csv');
  const [operation, setOperation] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ fraction: number | null; message: string } | null>(null);
  const [result, setResult] = useState<BatchScoreResult | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // Cancel pressed while the file is still uploading: the backend's operation does not exist yet, so the cancel is
  // sent again as soon as it reports progress instead of being lost.
  const cancelWanted = useRef(false);
  const [cancelling, setCancelling] = useState(false);
  const requestCancel = (operationId: string) => {
    cancelWanted.current = true;
    setCancelling(true);
    client.call('cancel', { operationId }).catch(() => undefined);
  };

  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type === 'progress' && event.operationId === operation) {
          if (cancelWanted.current) client.call('cancel', { operationId: operation }).catch(() => undefined);
          const rows = event.counts?.rows;
          setProgress({
            fraction: event.fraction,
            message: rows ? `${event.message}: ${formatCount(rows)} rows` : event.message,
          });
        }
      }),
    [client, operation],
  );

  const run = async (source: 'file' | 'store') => {
    const id = newOperationId('batch');
    cancelWanted.current = false;
    setCancelling(false);
    setOperation(id);
    setResult(null);
    setError(null);
    setSaved(null);
    setProgress({ fraction: null, message: 'Starting' });
    try {
      if (source === 'file') {
        if (!file || !client.scoreDropped) throw new Error('Choose a file to score first.');
        setResult(await client.scoreDropped(file, { model, format }, id));
      } else {
        setResult(await client.call('batchScore', { range, model, format }, id));
      }
    } catch (caught) {
      setError(errorOf(caught));
    } finally {
      setOperation(null);
      setProgress(null);
    }
  };

  return (
    <div className="batch">
      <Panel title="Batch scoring" subtitle="CSV with the schema's columns, or JSONL of applicants; .gz accepted">
        <div
          className="drop-zone"
          onDragOver={(event) => event.preventDefault()}
          onDrop={(event) => {
            event.preventDefault();
            const dropped = event.dataTransfer.files[0];
            if (dropped) setFile(dropped);
          }}
        >
          <label htmlFor="batch-file">File of applicants</label>{' '}
          <input
            id="batch-file"
            type="file"
            accept=".csv,.jsonl,.ndjson,.json,.gz"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
          <p className="hint">{file ? `${file.name} (${formatCount(file.size)} bytes)` : 'or drop a file here'}</p>
        </div>
        <div className="start-row">
          <label>
            Model{' '}
            <select
              aria-label="Batch model"
              value={model}
              onChange={(event) => setModel(event.target.value as WhatIfRole)}
            >
              {props.setup.models.map((m) => (
                <option key={m.role} value={m.role}>
                  {m.role} (v{m.version})
                </option>
              ))}
            </select>
          </label>
          <label>
            Output{' '}
            <select
              aria-label="Output format"
              value={format}
              onChange={(event) => setFormat(event.target.value as 'csv' | 'jsonl')}
            >
              <option value="csv">CSV</option>
              <option value="jsonl">JSONL</option>
            </select>
          </label>
          <button
            type="button"
            className="primary"
            disabled={!file || operation !== null}
            onClick={() => void run('file')}
          >
            Score file
          </button>
          <button type="button" disabled={operation !== null} onClick={() => void run('store')}>
            Score the period&apos;s stored requests
          </button>
          {operation ? (
            <button type="button" disabled={cancelling} onClick={() => requestCancel(operation)}>
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : null}
        </div>
        {progress ? <ProgressBar fraction={progress.fraction} label={progress.message} /> : null}
        <ErrorNote error={error} />
      </Panel>
      {result ? (
        <BatchResult
          result={result}
          saved={saved}
          onSave={async () => setSaved((await client.saveScored?.(result.download))?.where ?? null)}
        />
      ) : null}
    </div>
  );
}

function BatchResult(props: { result: BatchScoreResult; saved: string | null; onSave(): Promise<void> }) {
  const { result } = props;
  return (
    <>
      <Panel
        title="Summary"
        subtitle={`${result.model.role} v${result.model.version}`}
        actions={
          <button type="button" className="primary" onClick={() => void props.onSave()}>
            Download scored file
          </button>
        }
      >
        {props.saved ? (
          <p className="notice" role="status">
            Saved: {props.saved}
          </p>
        ) : null}
        <div className="stats">
          <Stat label="Rows" value={formatCount(result.rows)} />
          <Stat label="Scored" value={formatCount(result.scored)} />
          <Stat
            label="Invalid rows"
            value={formatCount(result.invalid)}
            tone={result.invalid > 0 ? 'warn' : undefined}
          />
          <Stat label="Approval rate" value={formatPercent(result.approvalRate)} />
          <Stat
            label="Drift verdict"
            value={result.drift ? (result.drift.datasetDrift ? 'drift' : 'no drift') : '—'}
            hint={
              result.drift
                ? `${formatPercent(result.drift.driftShare)} of fields drifted${result.drift.driftedFields.length ? `: ${result.drift.driftedFields.join(', ')}` : ''}`
                : 'no reference'
            }
            tone={result.drift?.datasetDrift ? 'bad' : 'good'}
          />
        </div>
        {result.histogram ? (
          <BarChart
            label="Probability histogram of the batch against the reference"
            xTitle="probability of default"
            yTitle="share of rows"
            data={{
              labels: result.histogram.labels,
              datasets: [
                { label: 'reference', data: result.histogram.reference, backgroundColor: SERIES_COLOURS.reference },
                { label: 'this batch', data: result.histogram.current, backgroundColor: SERIES_COLOURS.current },
              ],
            }}
          />
        ) : null}
      </Panel>
      {result.invalidRows.length > 0 ? (
        <Panel
          title="Invalid rows"
          subtitle={`${formatCount(result.invalid)} rows were not scored; the first ${result.invalidRows.length} are listed`}
        >
          <table className="table" aria-label="Invalid rows">
            <thead>
              <tr>
                <th className="num">Line</th>
                <th className="num">Row</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {result.invalidRows.map((row) => (
                <tr key={`${row.line}-${row.row}`} data-line={row.line ?? ''}>
                  <td className="num">{row.line ?? row.id ?? '—'}</td>
                  <td className="num">{row.row}</td>
                  <td>{row.issues.map((i) => i.message).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      ) : null}
    </>
  );
}
