/** Long operations in flight, on every page: what runs, how far it is, and a way to stop it. */
import { useEffect } from 'react';
import { useApp, useSlice } from '../app-context.tsx';
import { ProgressBar } from './common.tsx';

const LABELS: Record<string, string> = {
  importFiles: 'Importing log files',
  pullFromApi: 'Pulling from the API',
  loadDemoData: 'Loading demo data',
  exportReport: 'Exporting the report',
};

export function OperationsBar() {
  const { operations, client } = useApp();
  const all = useSlice(operations, (s) => s.operations);
  const list = Object.values(all);
  useEffect(() => {
    // Finished operations stay a moment so a quick one is seen to finish, then leave.
    const finished = list.filter((op) => op.done);
    if (finished.length === 0) return;
    const timer = setTimeout(() => finished.forEach((op) => operations.getState().dismiss(op.id)), 3000);
    return () => clearTimeout(timer);
  }, [list, operations]);
  if (list.length === 0) return null;
  return (
    <div className="operations" aria-live="polite" data-testid="operations">
      {list.map((op) => (
        <div key={op.id} className={`operation${op.done ? (op.ok ? ' done' : ' failed') : ''}`}>
          <ProgressBar
            fraction={op.fraction}
            label={`${LABELS[op.method] ?? op.method}${op.message ? `: ${op.message}` : ''}`}
          />
          {op.done ? null : (
            <button
              type="button"
              onClick={() => void client.call('cancel', { operationId: op.id }).catch(() => undefined)}
            >
              Cancel
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
