/** The app's stores, created once over one console client and handed to pages through React context. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { AnomaliesResult, MethodInput, OverviewResult, PerformanceResult } from '../../console-api/types.ts';
import type { ConsoleClient } from './api/index.ts';
import { createDriftStore } from './stores/drift-store.ts';
import { createOperationsStore } from './stores/operations-store.ts';
import { createRangeStore } from './stores/range-store.ts';
import { createResourceStore } from './stores/resource-store.ts';
import { createSourcesStore } from './stores/sources-store.ts';
import { createUiStore, type KeyValueStorage, type PageId } from './stores/ui-store.ts';

export function createAppStores(client: ConsoleClient, storage: KeyValueStorage | null, initialPage?: PageId) {
  return {
    client,
    ui: createUiStore(storage, initialPage),
    range: createRangeStore(),
    operations: createOperationsStore(),
    overview: createResourceStore<MethodInput<'overview'>, OverviewResult>((input) => client.call('overview', input)),
    drift: createDriftStore(client),
    anomalies: createResourceStore<MethodInput<'anomalies'>, AnomaliesResult>((input) =>
      client.call('anomalies', input),
    ),
    sources: createSourcesStore(client),
    performance: createResourceStore<MethodInput<'performance'>, PerformanceResult>((input) =>
      client.call('performance', input),
    ),
  };
}

export type AppStores = ReturnType<typeof createAppStores>;

export const AppContext = createContext<AppStores | null>(null);

export function useApp(): AppStores {
  const stores = useContext(AppContext);
  if (!stores) throw new Error('useApp outside AppContext');
  return stores;
}

export function useSlice<T, U>(store: StoreApi<T>, selector: (state: T) => U): U {
  return useStore(store, selector);
}
