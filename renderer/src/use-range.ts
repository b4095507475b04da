/** Reloads a page's data whenever the shared range or the stored data change. */
import { useEffect } from 'react';
import type { TimeRange } from '../../console-api/types.ts';
import { useApp, useSlice } from './app-context.tsx';
import { resolveRange } from './stores/range-store.ts';

export function useRange(): TimeRange & { key: string } {
  const { range } = useApp();
  const preset = useSlice(range, (s) => s.preset);
  const custom = useSlice(range, (s) => s.custom);
  const bounds = useSlice(range, (s) => s.bounds);
  const resolved = resolveRange({ preset, custom, bounds });
  return { ...resolved, key: `${resolved.from ?? ''}-${resolved.to ?? ''}` };
}

export function useLoadOnRange(load: (range: TimeRange) => void): TimeRange {
  const { operations } = useApp();
  const dataVersion = useSlice(operations, (s) => s.dataVersion);
  const { key, ...range } = useRange();
  useEffect(() => {
    load(range);
    // The key and data version say when the range really changed; `range` is a new object each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, dataVersion, load]);
  return range;
}
