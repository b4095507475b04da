/** The drift page: per-field table (sortable), the selected field and its detail. */
import { createStore } from 'zustand/vanilla';
import type { DriftFieldResult, DriftFieldRow, DriftResult, TimeRange } from '../../../console-api/types.ts';
import type { ConsoleClient } from '../api/client.ts';
import { errorOf } from './resource-store.ts';

/** Resolves once the browser has painted the last change (at once where there is no browser, as in tests). */
function afterPaint(): Promise<void> {
  const host = globalThis as { requestAnimationFrame?: (callback: () => void) => number };
  if (typeof host.requestAnimationFrame !== 'function') return Promise.resolve();
  return new Promise((resolve) => host.requestAnimationFrame!(() => setTimeout(resolve, 0)));
}

export type DriftSortKey = 'field' | 'method' | 'statistic' | 'threshold' | 'verdict';

export interface DriftState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  result: DriftResult | null;
  error: { code: string; message: string } | null;
  sort: { key: DriftSortKey; descending: boolean };
  selected: string | null;
  detail: DriftFieldResult | null;
  detailStatus: 'idle' | 'loading' | 'ready' | 'error';
  detailError: { code: string; message: string } | null;
  range: TimeRange;
  load(range: TimeRange): Promise<void>;
  sortBy(key: DriftSortKey): void;
  select(field: string | null): Promise<void>;
}

/** Drifted fields first by default: the verdict is what the engineer came for. */
export function sortRows(rows: DriftFieldRow[], sort: DriftState['sort']): DriftFieldRow[] {
  const value = (row: DriftFieldRow): number | string => {
    switch (sort.key) {
      case 'field':
        return row.field;
      case 'method':
        return row.method;
      case 'threshold':
        return row.threshold;
      case 'verdict':
        return (row.drifted ? 1 : 0) + (row.statistic ?? 0) / (row.threshold || 1) / 1e6;
      default:
        return row.statistic ?? Number.NEGATIVE_INFINITY;
    }
  };
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
    return order === 0 ? a.field.localeCompare(b.field) : sign * order;
  });
}

export function createDriftStore(client: ConsoleClient) {
  let sequence = 0;
  let detailSequence = 0;
  return createStore<DriftState>()((set, get) => ({
    status: 'idle',
    result: null,
    error: null,
    sort: { key: 'verdict', descending: true },
    selected: null,
    detail: null,
    detailStatus: 'idle',
    detailError: null,
    range: {},
    async load(range) {
      const mine = ++sequence;
      set({ status: 'loading', range });
      let result: DriftResult;
      try {
        result = await client.call('drift', { range });
        if (mine !== sequence) return;
        set({ status: 'ready', result, error: null });
        const selected = get().selected;
        if (selected && result.fields.some((row) => row.field === selected)) void get().select(selected);
      } catch (error) {
        if (mine === sequence) set({ status: 'error', error: errorOf(error) });
        return;
      }
      if (result.pending.length === 0) return;
      // The sketch answer is on screen; KS and Wasserstein follow from the raw analysis, which takes seconds and is
      // only started once the page has painted, so it does not slow that paint down.
      await afterPaint();
      if (mine !== sequence) return;
      try {
        const complete = await client.call('drift', { range, wait: true });
        if (mine === sequence) set({ result: complete });
      } catch (error) {
        if (mine === sequence) set({ result: { ...result, pending: [], pendingError: errorOf(error).message } });
      }
    },
    sortBy(key) {
      const sort = get().sort;
      set({ sort: { key, descending: sort.key === key ? !sort.descending : key !== 'field' && key !== 'method' } });
    },
    async select(field) {
      const mine = ++detailSequence;
      if (field === null) {
        set({ selected: null, detail: null, detailStatus: 'idle', detailError: null });
        return;
      }
      set({ selected: field, detailStatus: 'loading' });
      const range = get().range;
      let detail: DriftFieldResult;
      try {
        detail = await client.call('driftField', { field, range });
        if (mine !== detailSequence) return;
        set({ detail, detailStatus: 'ready', detailError: null });
      } catch (error) {
        if (mine === detailSequence) set({ detailStatus: 'error', detailError: errorOf(error) });
        return;
      }
      if (!detail.pending) return;
      await afterPaint();
      if (mine !== detailSequence) return;
      try {
        const complete = await client.call('driftField', { field, range, wait: true });
        if (mine === detailSequence) set({ detail: complete });
      } catch {
        // The table says why KS or Wasserstein are missing; the distributions already shown stay.
        if (mine === detailSequence) set({ detail: { ...detail, pending: false } });
      }
    },
  }));
}
