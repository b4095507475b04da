/** Where a what-if starts: reference medians, a golden applicant, a stored production request, a saved scenario. */
import { useEffect, useState } from 'react';
import type { RequestPage, WhatIfApplicant, WhatIfScenario, WhatIfSetup } from '../../../console-api/types.ts';
import { useApp } from '../app-context.tsx';
import { formatTime } from '../format.ts';
import { errorOf } from '../stores/resource-store.ts';
import { useRange } from '../use-range.ts';

export interface Start {
  label: string;
  applicant: WhatIfApplicant;
  notes?: string[];
}

export function StartPicker(props: { setup: WhatIfSetup; scenarios: WhatIfScenario[]; onStart(start: Start): void }) {
  const { client } = useApp();
  const { key, ...range } = useRange();
  const [requestId, setRequestId] = useState('');
  const [page, setPage] = useState<RequestPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client
      .call('listRequests', { range, ...(requestId.trim() ? { search: requestId.trim() } : {}) })
      .then((result) => live && setPage(result))
      .catch(() => live && setPage(null));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key, requestId]);

  const openRequest = async (id: string) => {
    setError(null);
    try {
      const found = await client.call('findRequest', { requestId: id });
      props.onStart({
        label: `Stored request ${found.request.requestId}`,
        applicant: found.applicant,
        notes: found.notes,
      });
    } catch (caught) {
      setError(errorOf(caught).message);
    }
  };

  return (
    <div className="start-picker">
      <div className="start-row">
        <button
          type="button"
          onClick={() => props.onStart({ label: 'Reference medians and modes', applicant: props.setup.typical })}
        >
          Reference medians
        </button>
        <label>
          Golden applicant{' '}
          <select
            aria-label="Golden applicant"
            value=""
            onChange={(event) => {
              const golden = props.setup.golden[Number(event.target.value)];
              if (golden) props.onStart({ label: golden.label, applicant: golden.applicant });
            }}
          >
            <option value="">Choose…</option>
            {props.setup.golden.map((g, i) => (
              <option key={g.label} value={i}>
                {g.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Saved scenario{' '}
          <select
            aria-label="Saved scenario"
            value=""
            onChange={(event) => {
              const scenario = props.scenarios.find((s) => s.name === event.target.value);
              if (scenario) props.onStart({ label: `Scenario "${scenario.name}"`, applicant: scenario.applicant });
            }}
          >
            <option value="">{props.scenarios.length ? 'Choose…' : 'none saved'}</option>
            {props.scenarios.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <form
        className="start-row"
        onSubmit={(event) => {
          event.preventDefault();
          if (requestId.trim()) void openRequest(requestId.trim());
        }}
      >
        <label htmlFor="request-id">Stored request id</label>
        <input id="request-id" value={requestId} onChange={(event) => setRequestId(event.target.value)} />
        <button type="submit">Open request</button>
        {error ? (
          <span className="field-error" role="alert">
            {error}
          </span>
        ) : null}
      </form>
      {page && page.rows.length > 0 ? (
        <details>
          <summary>Pick from the period&apos;s records ({page.total.toLocaleString('en-GB')} scored requests)</summary>
          <table className="table" aria-label="Stored requests">
            <thead>
              <tr>
                <th>Request</th>
                <th>Time</th>
                <th className="num">Probability</th>
                <th>Decision</th>
                <th>Model</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.slice(0, 20).map((r) => (
                <tr key={r.requestId} onClick={() => void openRequest(r.requestId)} data-request={r.requestId}>
                  <td>
                    <button type="button" className="link" onClick={() => void openRequest(r.requestId)}>
                      {r.requestId}
                    </button>
                  </td>
                  <td>{formatTime(r.ts)}</td>
                  <td className="num">{r.probability === null ? '—' : `${(r.probability * 100).toFixed(2)} %`}</td>
                  <td>{r.decision ?? '—'}</td>
                  <td>v{r.modelVersion ?? '?'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </div>
  );
}
