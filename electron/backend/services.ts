/**
 * What the console API's handlers work with: the store, the settings, the champion's reference and the event sink.
 * Created once in the backend process from its frozen configuration.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openStore, type Store } from '../../db/index.ts';
import type { EventSink } from './api/method-table.ts';
import type { BackendConfig } from './api/protocol.ts';
import { ChampionReference } from './reference.ts';
import { SettingsStore, type Vault } from './settings-store.ts';

export interface Services {
  readonly config: BackendConfig;
  store: Store;
  readonly settings: SettingsStore;
  readonly reference: ChampionReference;
  readonly emit: EventSink;
  /** Closes and reopens the store on another file (demo data goes into a fresh store). */
  replaceStore(file: string): void;
  close(): void;
}

export type { Vault };

export function createServices(config: BackendConfig, vault: Vault | null, emit: EventSink): Services {
  if (config.dbPath !== ':memory:') mkdirSync(dirname(config.dbPath), { recursive: true });
  mkdirSync(config.workDir, { recursive: true });
  const services: Services = {
    config,
    store: openStore(config.dbPath),
    settings: new SettingsStore(config.settingsPath, vault),
    reference: new ChampionReference(config.modelsDir),
    emit,
    replaceStore(file) {
      services.store.close();
      services.store = openStore(file);
    },
    close() {
      services.store.close();
    },
  };
  return services;
}
