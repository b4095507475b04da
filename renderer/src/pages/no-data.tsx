import { useApp, useSlice } from '../app-context.tsx';
import { EmptyState } from '../components/common.tsx';

/** The empty state every monitoring page shows before any record is stored. */
export function NoData() {
  const { sources, ui } = useApp();
  const busy = useSlice(sources, (s) => s.busy);
  return (
    <EmptyState
      title="No production records yet"
      actions={
        <>
          <button
            type="button"
            className="primary"
            disabled={busy !== null}
            onClick={() => void sources.getState().loadDemo()}
          >
            {busy === 'Loading demo data' ? 'Loading demo data…' : 'Load demo data'}
          </button>
          <button type="button" onClick={() => ui.getState().setPage('sources')}>
            Go to Sources
          </button>
        </>
      }
    >
      Import the scoring API&apos;s log files (.jsonl or .jsonl.gz), connect the API to pull its logs, or load the demo
      data to see a full console in a few seconds.
    </EmptyState>
  );
}

export function isNoDataError(error: { code: string } | null): boolean {
  return error?.code === 'STORE_EMPTY';
}
