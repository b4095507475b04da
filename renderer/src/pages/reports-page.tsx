/** Reports: export the drift report of the current period as self-contained HTML or JSON. */
import { useState } from 'react';
import type { ReportFormat } from '../../../console-api/types.ts';
import { useApp } from '../app-context.tsx';
import { ErrorNote, Panel } from '../components/common.tsx';
import { formatPeriod } from '../format.ts';
import { errorOf } from '../stores/resource-store.ts';
import { useRange } from '../use-range.ts';

export function ReportsPage() {
  const { client, range: rangeStore } = useApp();
  const { key: _key, ...range } = useRange();
  const bounds = rangeStore.getState().bounds;
  const [format, setFormat] = useState<ReportFormat>('html');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  const period =
    range.from !== undefined && range.to !== undefined
      ? formatPeriod(range.from, range.to)
      : bounds
        ? formatPeriod(bounds.from, bounds.to)
        : 'all stored records';

  const exportReport = async () => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const result = await client.saveReport(range, format);
      setMessage(result.saved ? `Report saved: ${result.where}` : 'Export cancelled.');
    } catch (caught) {
      setError(errorOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page reports">
      <Panel title="Drift report" subtitle={`period: ${period} (change it with the range picker above)`}>
        <p>
          The report holds the verdict, the per-field drift table, reference-vs-current distributions, time series, data
          quality, anomalies and model information. HTML opens anywhere and prints cleanly (nothing is fetched from the
          network); JSON carries the same content for scripts.
        </p>
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void exportReport();
          }}
        >
          <fieldset>
            <legend>Format</legend>
            <label>
              <input
                type="radio"
                name="format"
                value="html"
                checked={format === 'html'}
                onChange={() => setFormat('html')}
              />{' '}
              HTML
            </label>
            <label>
              <input
                type="radio"
                name="format"
                value="json"
                checked={format === 'json'}
                onChange={() => setFormat('json')}
              />{' '}
              JSON
            </label>
          </fieldset>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Exporting…' : client.platform === 'desktop' ? 'Export…' : 'Export and download'}
          </button>
        </form>
        {message ? (
          <p className="notice" role="status" data-testid="report-message">
            {message}
          </p>
        ) : null}
        <ErrorNote error={error} />
      </Panel>
    </div>
  );
}
