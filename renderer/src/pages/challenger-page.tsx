/**
 * Challenger: replay the stored requests of the period with a candidate model (or read the shadow answers already
 * in the logs) and compare with the logged answers or another model, then export the report as HTML or JSON.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ChallengerCandidates, ChallengerResult } from '../../../console-api/types.ts';
import { newOperationId } from '../api/index.ts';
import { useApp, useSlice } from '../app-context.tsx';
import { ErrorNote, Panel, ProgressBar } from '../components/common.tsx';
import { formatPeriod } from '../format.ts';
import { errorOf } from '../stores/resource-store.ts';
import { useRange } from '../use-range.ts';
import { DeltaPanel, FlipTablePanel, LatencyPanel, SegmentPanel, VerdictPanel } from './challenger-results.tsx';
import { isNoDataError, NoData } from './no-data.tsx';

function useDownload(content: string | null, type: string): string | null {
  const url = useMemo(
    () => (content === null ? null : URL.createObjectURL(new Blob([content], { type }))),
    [content, type],
  );
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}

export function ChallengerPage() {
  const { client, operations, range: rangeStore } = useApp();
  const dataVersion = useSlice(operations, (s) => s.dataVersion);
  const { key: _key, ...range } = useRange();
  const bounds = useSlice(rangeStore, (s) => s.bounds);
  const [candidates, setCandidates] = useState<ChallengerCandidates | null>(null);
  const [candidate, setCandidate] = useState('fallback');
  const [baseline, setBaseline] = useState('logged');
  const [running, setRunning] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ fraction: number | null; message: string } | null>(null);
  const [result, setResult] = useState<ChallengerResult | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  useEffect(() => {
    void client
      .call('challengerCandidates', {})
      .then((list) => {
        setCandidates(list);
        if (list.models.length > 0 && !list.models.some((m) => m.ref === 'fallback')) setCandidate(list.models[0]!.ref);
      })
      .catch((caught) => setError(errorOf(caught)));
  }, [client, dataVersion]);

  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type === 'progress' && event.operationId === running)
          setProgress({ fraction: event.fraction, message: event.message });
      }),
    [client, running],
  );

  const json = useMemo(() => (result ? `${JSON.stringify(result.report, null, 2)}\n` : null), [result]);
  const jsonUrl = useDownload(json, 'application/json');
  const htmlUrl = useDownload(result?.html ?? null, 'text/html');

  const run = async () => {
    const operationId = newOperationId('challenger');
    setRunning(operationId);
    setProgress({ fraction: null, message: 'Starting the replay' });
    setError(null);
    try {
      const input = candidate === 'shadow' ? { range, candidate } : { range, candidate, baseline };
      setResult(await client.call('challengerReplay', input, operationId));
    } catch (caught) {
      setError(errorOf(caught));
    } finally {
      setRunning(null);
      setProgress(null);
    }
  };

  if (isNoDataError(error) && !bounds) return <NoData />;
  const period =
    range.from !== undefined && range.to !== undefined
      ? formatPeriod(range.from, range.to)
      : bounds
        ? formatPeriod(bounds.from, bounds.to)
        : 'all stored records';
  const report = result?.report;

  return (
    <div className="page challenger" aria-busy={running !== null}>
      <Panel title="Replay" subtitle={`period: ${period} (change it with the range picker above)`}>
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void run();
          }}
        >
          <label>
            Candidate{' '}
            <select id="challenger-candidate" value={candidate} onChange={(e) => setCandidate(e.target.value)}>
              {(candidates?.models ?? []).map((m) => (
                <option key={m.ref} value={m.ref}>
                  {m.label}
                </option>
              ))}
              <option value="shadow">
                shadow answers in the logs ({(candidates?.shadowRecords ?? 0).toLocaleString('en')} records)
              </option>
            </select>
          </label>
          <label>
            Compared with{' '}
            <select
              id="challenger-baseline"
              value={baseline}
              disabled={candidate === 'shadow'}
              onChange={(e) => setBaseline(e.target.value)}
            >
              <option value="logged">the logged answers</option>
              {(candidates?.models ?? []).map((m) => (
                <option key={m.ref} value={m.ref}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" disabled={running !== null}>
            {running ? 'Replaying…' : 'Replay'}
          </button>
          {running ? (
            <button type="button" onClick={() => void client.call('cancel', { operationId: running })}>
              Cancel
            </button>
          ) : null}
        </form>
        {progress ? <ProgressBar fraction={progress.fraction} label={progress.message} /> : null}
        <ErrorNote error={error} />
        {result && report ? (
          <p className="notice" role="status" data-testid="challenger-summary" data-store={result.store}>
            {report.kind === 'shadow' ? 'Shadow answers' : `Candidate ${report.candidate.ref}`} (
            {report.candidate.models.join(', ')}) against {report.baseline.ref}: {report.compared.toLocaleString('en')}{' '}
            requests compared in {report.elapsedS.toFixed(1)} s.{' '}
            {jsonUrl ? (
              <a href={jsonUrl} download="challenger-report.json">
                Download JSON
              </a>
            ) : null}{' '}
            {htmlUrl ? (
              <a href={htmlUrl} download="challenger-report.html">
                Download HTML
              </a>
            ) : null}
          </p>
        ) : null}
      </Panel>
      {report ? (
        <>
          <VerdictPanel report={report} />
          <FlipTablePanel report={report} />
          <DeltaPanel report={report} />
          <SegmentPanel report={report} />
          <LatencyPanel report={report} />
        </>
      ) : null}
    </div>
  );
}
