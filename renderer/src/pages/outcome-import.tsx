/** The Sources page's outcome import: a file of observed defaults, keyed by request id or by SK_ID_CURR. */
import { useState } from 'react';
import type { OutcomeImportResult } from '../../../console-api/types.ts';
import { newOperationId } from '../api/client.ts';
import { useApp } from '../app-context.tsx';
import { ErrorNote, Panel } from '../components/common.tsx';
import { errorOf } from '../stores/resource-store.ts';

function describe(result: OutcomeImportResult): string {
  const parts = [`Added ${result.inserted.toLocaleString('en')} outcome(s)`];
  if (result.duplicates) parts.push(`${result.duplicates.toLocaleString('en')} already stored`);
  if (result.conflicts) parts.push(`${result.conflicts.toLocaleString('en')} conflict(s) kept aside`);
  if (result.unmatched) parts.push(`${result.unmatched.toLocaleString('en')} with no prediction yet`);
  if (result.quarantined) parts.push(`${result.quarantined.toLocaleString('en')} line(s) quarantined`);
  return `${parts.join(', ')}.`;
}

export function OutcomeImportPanel() {
  const { client } = useApp();
  const [path, setPath] = useState('');
  const [key, setKey] = useState<'request_id' | 'SK_ID_CURR'>('request_id');
  const [hashKeyFile, setHashKeyFile] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<OutcomeImportResult | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const input = {
        path: path.trim(),
        key,
        ...(key === 'SK_ID_CURR' && hashKeyFile.trim() ? { hashKeyFile: hashKeyFile.trim() } : {}),
      };
      setResult(await client.call('importOutcomes', input, newOperationId('outcomes')));
    } catch (caught) {
      setError(errorOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel
      title="Import outcomes"
      subtitle="observed defaults: request_id or SK_ID_CURR, TARGET, observed_at (.csv or .jsonl)"
    >
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (path.trim()) void submit();
        }}
      >
        <label>
          Outcomes file on this machine
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/data/outcomes-2026-12.csv" />
        </label>
        <label>
          Keyed by
          <select value={key} onChange={(e) => setKey(e.target.value as typeof key)}>
            <option value="request_id">request_id</option>
            <option value="SK_ID_CURR">SK_ID_CURR (pseudonymised with the API hash key)</option>
          </select>
        </label>
        {key === 'SK_ID_CURR' ? (
          <label>
            API hash key file
            <input value={hashKeyFile} onChange={(e) => setHashKeyFile(e.target.value)} placeholder="var/hash-key" />
          </label>
        ) : null}
        <button type="submit" disabled={busy || path.trim() === ''}>
          {busy ? 'Importing…' : 'Import outcomes'}
        </button>
      </form>
      <ErrorNote error={error} />
      {result ? (
        <div role="status" data-testid="outcome-message" className={result.refused ? 'notice bad' : 'notice'}>
          {result.refused ? `The outcomes were not imported: ${result.refused}.` : describe(result)}
          {result.conflictList.length ? (
            <ul aria-label="Outcome conflicts">
              {result.conflictList.slice(0, 10).map((c) => (
                <li key={c.lineNo}>
                  Line {c.lineNo}: {c.requestId ?? `applicant ${c.applicantRef}`} already has TARGET {c.storedOutcome};
                  the file says {c.newOutcome} (kept {c.storedOutcome}).
                </li>
              ))}
            </ul>
          ) : null}
          {result.unmatchedList.length ? (
            <ul aria-label="Outcomes with no prediction">
              {result.unmatchedList.slice(0, 10).map((u) => (
                <li key={u.lineNo}>
                  Line {u.lineNo}: {u.requestId ?? `applicant ${u.applicantRef}`} has no prediction in the store yet.
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </Panel>
  );
}
