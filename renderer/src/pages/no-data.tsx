import { useApp } from '../app-context.tsx';
import { EmptyState } from '../components/common.tsx';

/** The empty state every monitoring page shows before any record is stored. */
export function NoData() {
  const { sources, ui } = useApp();
  return (
    <EmptyState
      title="No production records yet"
      actions={
        <>
          <button type="button" className="primary" onClick={() => void sources.getState().loadDemo()}>
            Load demo data
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
