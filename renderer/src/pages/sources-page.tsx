/** Sources: import log files (picker, path, drag-and-drop), connect API endpoints, import history, quarantine. */
import { useEffect, useState, type DragEvent } from 'react';
import { urlProblem } from '../api-url.ts';
import { useApp, useSlice } from '../app-context.tsx';
import { ErrorNote, Panel } from '../components/common.tsx';
import { formatCount, formatTime } from '../format.ts';
import { ObjectStorePanel } from './object-store-panel.tsx';
import { OutcomeImportPanel } from './outcome-import.tsx';

function ImportPanel() {
  const { sources, client } = useApp();
  const busy = useSlice(sources, (s) => s.busy);
  const [dragging, setDragging] = useState(false);
  const [path, setPath] = useState('');

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) void sources.getState().importDropped(files);
  };

  return (
    <Panel title="Import log files" subtitle=".jsonl or .jsonl.gz, as the scoring API writes them">
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        <p>Drop log files here</p>
        <div className="actions">
          {client.pickLogFiles ? (
            <button
              type="button"
              disabled={busy !== null}
              onClick={() =>
                void client.pickLogFiles!().then((paths) =>
                  paths.length > 0 ? sources.getState().importPaths(paths) : undefined,
                )
              }
            >
              Choose files or folders…
            </button>
          ) : (
            <label className="button">
              Upload files…
              <input
                type="file"
                multiple
                accept=".jsonl,.gz,.json,.log"
                className="visually-hidden"
                disabled={busy !== null}
                data-testid="upload-input"
                onChange={(event) => {
                  const files = [...(event.target.files ?? [])];
                  event.target.value = '';
                  if (files.length > 0) void sources.getState().importDropped(files);
                }}
              />
            </label>
          )}
        </div>
      </div>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const paths = path
            .split('\n')
            .map((p) => p.trim())
            .filter(Boolean);
          if (paths.length > 0) void sources.getState().importPaths(paths);
        }}
      >
        <label htmlFor="import-path">
          File or folder on the {client.platform === 'browser' ? 'server' : 'computer'}
        </label>
        <input id="import-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/var/log/vigie/" />
        <button type="submit" disabled={busy !== null || path.trim() === ''}>
          Import
        </button>
      </form>
    </Panel>
  );
}

function ApiPanel() {
  const { sources } = useApp();
  const settings = useSlice(sources, (s) => s.settings);
  const busy = useSlice(sources, (s) => s.busy);
  const [url, setUrl] = useState('');
  const [key, setKey] = useState('');
  const [every, setEvery] = useState('0');
  const [problem, setProblem] = useState<string | null>(null);

  return (
    <Panel title="Scoring API" subtitle="pull GET /v1/logs from where it stopped; the admin key is never shown again">
      <form
        className="inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const wrong = urlProblem(url);
          setProblem(wrong);
          if (wrong) return;
          void sources
            .getState()
            .saveEndpoint({ url: url.trim(), ...(key ? { key } : {}), pullEveryMinutes: Number(every) || 0 });
          setKey('');
        }}
      >
        <label htmlFor="api-url">API URL</label>
        <input
          id="api-url"
          type="text"
          inputMode="url"
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'api-url-problem' : undefined}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="http://127.0.0.1:8080"
        />
        <label htmlFor="api-key">Admin key</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />
        <label htmlFor="api-every">Pull every</label>
        <select id="api-every" value={every} onChange={(e) => setEvery(e.target.value)}>
          <option value="0">only on demand</option>
          <option value="5">5 minutes</option>
          <option value="15">15 minutes</option>
          <option value="60">hour</option>
        </select>
        <button type="submit">Save</button>
      </form>
      {problem ? (
        <p className="field-problem" id="api-url-problem" role="alert">
          {problem}
        </p>
      ) : null}
      {settings && settings.endpoints.length > 0 ? (
        <table className="table" aria-label="API endpoints">
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Key</th>
              <th scope="col">Schedule</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {settings.endpoints.map((endpoint) => (
              <tr key={endpoint.id}>
                <td>{endpoint.url}</td>
                <td>{endpoint.hasKey ? 'stored' : 'none'}</td>
                <td>{endpoint.pullEveryMinutes > 0 ? `every ${endpoint.pullEveryMinutes} min` : 'on demand'}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    disabled={busy !== null}
                    onClick={() => void sources.getState().pull({ url: endpoint.url, endpointId: endpoint.id })}
                  >
                    Pull now
                  </button>
                  <button type="button" onClick={() => void sources.getState().removeEndpoint(endpoint.id)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}

function QuarantinePanel() {
  const { sources } = useApp();
  const quarantine = useSlice(sources, (s) => s.quarantine);
  const filter = useSlice(sources, (s) => s.filter);
  if (!quarantine) return null;
  const pages = Math.max(1, Math.ceil(quarantine.total / quarantine.pageSize));
  return (
    <Panel
      title={`Quarantine (${formatCount(quarantine.total)})`}
      subtitle="lines that could not be read: nothing is dropped silently"
    >
      <div className="inline-form">
        <label htmlFor="q-reason">Reason</label>
        <select
          id="q-reason"
          value={filter.reason ?? ''}
          onChange={(e) => void sources.getState().setFilter({ reason: e.target.value || undefined })}
        >
          <option value="">all reasons</option>
          {quarantine.reasons.map((r) => (
            <option key={r.reason} value={r.reason}>
              {r.reason} ({formatCount(r.count)})
            </option>
          ))}
        </select>
      </div>
      {quarantine.rows.length === 0 ? (
        <p className="hint">No quarantined lines{filter.reason ? ' for this reason' : ''}.</p>
      ) : (
        <table className="table quarantine" aria-label="Quarantined lines">
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">File</th>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">Excerpt</th>
            </tr>
          </thead>
          <tbody>
            {quarantine.rows.map((row) => (
              <tr key={`${row.source}:${row.line}`}>
                <td>
                  <span className="badge warn">{row.reason}</span>
                </td>
                <td className="path" title={row.source}>
                  {row.source.split(/[\\/]/).pop()}
                </td>
                <td className="num">{row.line}</td>
                <td>
                  <code className="excerpt">{row.excerpt}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 ? (
        <div className="pager">
          <button
            type="button"
            disabled={filter.page === 0}
            onClick={() => void sources.getState().setFilter({ ...filter, page: filter.page - 1 })}
          >
            Previous
          </button>
          <span>
            page {filter.page + 1} of {pages}
          </span>
          <button
            type="button"
            disabled={filter.page + 1 >= pages}
            onClick={() => void sources.getState().setFilter({ ...filter, page: filter.page + 1 })}
          >
            Next
          </button>
        </div>
      ) : null}
    </Panel>
  );
}

export function SourcesPage() {
  const { sources, operations } = useApp();
  const state = useSlice(sources, (s) => s);
  const dataVersion = useSlice(operations, (s) => s.dataVersion);
  useEffect(() => {
    void sources.getState().refresh();
  }, [sources, dataVersion]);

  return (
    <div className="page sources">
      <ErrorNote error={state.error} />
      {state.message ? (
        <p className="notice" role="status" data-testid="import-message">
          {state.message}
        </p>
      ) : null}
      <div className="grid-2">
        <ImportPanel />
        <ApiPanel />
      </div>
      <ObjectStorePanel />
      <OutcomeImportPanel />
      {state.sources?.store.demo ? (
        <p className="notice warn" role="status" data-testid="store-banner">
          Showing the separate demo store <strong>{state.sources.store.name}</strong>; your own store{' '}
          <strong>{state.sources.store.home}</strong> is unchanged.{' '}
          <button type="button" disabled={state.busy !== null} onClick={() => void state.returnToStore()}>
            Back to my store
          </button>
        </p>
      ) : null}
      <Panel
        title="Import history"
        subtitle={
          state.sources
            ? `${formatCount(state.sources.records)} records stored in ${state.sources.store.name}`
            : undefined
        }
        actions={
          <button type="button" disabled={state.busy !== null} onClick={() => void state.loadDemo()}>
            Load demo data
          </button>
        }
      >
        {state.sources && state.sources.sources.length > 0 ? (
          <table className="table" aria-label="Sources">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Kind</th>
                <th scope="col">Imported</th>
                <th scope="col" className="num">
                  Records
                </th>
                <th scope="col" className="num">
                  Quarantined
                </th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {state.sources.sources.map((source) => (
                <tr key={source.id}>
                  <td className="path" title={source.location}>
                    {source.location.split(/[\\/]/).pop() || source.location}
                  </td>
                  <td>{source.kind}</td>
                  <td>{formatTime(source.importedAt)}</td>
                  <td className="num">{formatCount(source.records)}</td>
                  <td className="num">{formatCount(source.quarantined)}</td>
                  <td>{source.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="hint">Nothing imported yet: drop log files above, pull from the API, or load the demo data.</p>
        )}
      </Panel>
      <QuarantinePanel />
    </div>
  );
}
