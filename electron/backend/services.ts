/**
 * What the console API's handlers work with: the store, the settings, the champion's reference and the event sink.
 * Created once in the backend process from its frozen configuration.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openStore, type Store } from '../../db/index.ts';
import type { EventSink } from './api/method-table.ts';
import type { BackendConfig } from '../../console-api/protocol.ts';
import { AnalysisClient } from './analysis-client.ts';
import { ChampionReference } from './reference.ts';
import { SettingsStore, type Vault } from './settings-store.ts';

export interface Services {
  readonly config: BackendConfig;
  store: Store;
  readonly settings: SettingsStore;
  readonly reference: ChampionReference;
  readonly emit: EventSink;
  /** Drift analyses run here, in their own worker thread. */
  readonly analysis: AnalysisClient;
  /**
   * Results computed from the store, kept until it changes: flipping between ranges and pages costs nothing the
   * second time. A handful of entries per kind is what people flip between.
   */
  memo<T>(kind: string, key: unknown, compute: () => T): T;
  forget(kind: string, key: unknown): void;
  /** Records in the store (cached). */
  recordCount(): number;
  /** First and last stored record times (cached: the query scans the table). */
  bounds(): { from: number; to: number } | null;
  /** Forgets every cached result (the store changed). */
  invalidate(): void;
  /** Closes and reopens the store on another file (demo data goes into a fresh store). */
  replaceStore(file: string): void;
  /** Work to run when the backend closes (a handler's own resources, such as loaded models). */
  readonly closing: Array<() => unknown>;
  close(): void;
}

export type { Vault };

/**
 * The console's store waits up to 30 s for another connection's write (better-sqlite3's default is 5 s): right after
 * an import the analysis thread writes the hourly drift sketches while the pages evaluate and record alerts, and a
 * page should wait for that, not show "database is locked".
 */
const STORE_OPTIONS = { busyTimeoutMs: 30_000 };

export function createServices(config: BackendConfig, vault: Vault | null, emit: EventSink): Services {
  if (config.dbPath !== ':memory:') mkdirSync(dirname(config.dbPath), { recursive: true });
  mkdirSync(config.workDir, { recursive: true });
  const cache = new Map<string, Map<string, unknown>>();
  const services: Services = {
    config,
    store: openStore(config.dbPath, STORE_OPTIONS),
    settings: new SettingsStore(config.settingsPath, vault),
    reference: new ChampionReference(config.modelsDir),
    emit,
    analysis: new AnalysisClient(),
    memo(kind, key, compute) {
      let entries = cache.get(kind);
      if (!entries) cache.set(kind, (entries = new Map()));
      const id = JSON.stringify(key);
      if (entries.has(id)) return entries.get(id) as ReturnType<typeof compute>;
      const value = compute();
      entries.set(id, value);
      if (entries.size > 8) entries.delete(entries.keys().next().value!);
      return value;
    },
    forget: (kind, key) => void cache.get(kind)?.delete(JSON.stringify(key)),
    recordCount: () => services.memo('count', null, () => services.store.count()),
    bounds: () => services.memo('bounds', null, () => services.store.timeBounds()),
    invalidate: () => cache.clear(),
    replaceStore(file) {
      services.store.close();
      services.store = openStore(file, STORE_OPTIONS);
      cache.clear();
    },
    closing: [],
    close() {
      for (const release of services.closing) void release();
      void services.analysis.close();
      services.store.close();
    },
  };
  return services;
}
