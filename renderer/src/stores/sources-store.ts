/** The sources page: stored sources, the quarantine viewer, and the import, pull and demo actions. */
import { createStore } from 'zustand/vanilla';
import type { ImportSummary, MethodInput, MethodOutput, QuarantinePage, Settings } from '../../../console-api/types.ts';
import { newOperationId, type ConsoleClient } from '../api/client.ts';
import { errorOf } from './resource-store.ts';

type SourcesList = MethodOutput<'listSources'>;

export interface SourcesState {
  sources: SourcesList | null;
  quarantine: QuarantinePage | null;
  filter: { source?: string; reason?: string; page: number };
  settings: Settings | null;
  busy: string | null;
  lastSummary: ImportSummary | null;
  message: string | null;
  error: { code: string; message: string } | null;
  refresh(): Promise<void>;
  setFilter(filter: Partial<SourcesState['filter']>): Promise<void>;
  importPaths(paths: string[]): Promise<void>;
  importDropped(files: File[]): Promise<void>;
  pull(endpoint: { url: string; key?: string; endpointId?: string }): Promise<void>;
  saveEndpoint(endpoint: { id?: string; url: string; key?: string; pullEveryMinutes?: number }): Promise<void>;
  removeEndpoint(id: string): Promise<void>;
  importObjectStore(storeId: string): Promise<void>;
  saveObjectStore(store: MethodInput<'setSettings'>['objectStore'] & object): Promise<boolean>;
  removeObjectStore(id: string): Promise<void>;
  loadDemo(): Promise<void>;
  /** Closes the separate demo store and reopens the user's own. */
  returnToStore(): Promise<void>;
  cancel(): Promise<void>;
}

function describe(summary: ImportSummary, verb: string): string {
  const parts = [`${verb} ${summary.inserted.toLocaleString('en')} new record(s)`];
  if (summary.duplicates > 0) parts.push(`${summary.duplicates.toLocaleString('en')} already stored`);
  if (summary.quarantined > 0)
    parts.push(`${summary.quarantined.toLocaleString('en')} line(s) quarantined — see below`);
  return `${parts.join(', ')}.`;
}

/**
 * Files that could not be read at all (a corrupt `.gz`, an unreadable file) make the import a failure, said in
 * words, whatever was stored from the other files.
 */
function unreadable(summary: ImportSummary): { code: string; message: string } | null {
  if (summary.errors.length === 0) return null;
  const n = summary.errors.length;
  return {
    code: 'IMPORT_INCOMPLETE',
    message: `${n} file${n === 1 ? '' : 's'} could not be read, nothing from ${n === 1 ? 'it' : 'them'} was stored: ${summary.errors.join('; ')}. Check the file${n === 1 ? '' : 's'} and import again.`,
  };
}

export function createSourcesStore(client: ConsoleClient) {
  let running: string | null = null;
  return createStore<SourcesState>()((set, get) => {
    async function operation(label: string, prefix: string, work: (operationId: string) => Promise<string>) {
      if (get().busy) return;
      const operationId = newOperationId(prefix);
      running = operationId;
      set({ busy: label, error: null, message: null, lastSummary: null });
      try {
        const message = await work(operationId);
        const failed = get().lastSummary ? unreadable(get().lastSummary!) : null;
        set({ message: failed && get().lastSummary!.inserted === 0 ? null : message, error: failed });
      } catch (error) {
        set({ error: errorOf(error) });
      } finally {
        running = null;
        set({ busy: null });
        await get().refresh();
      }
    }

    return {
      sources: null,
      quarantine: null,
      filter: { page: 0 },
      settings: null,
      busy: null,
      lastSummary: null,
      message: null,
      error: null,
      async refresh() {
        try {
          const { filter } = get();
          const [sources, quarantine, settings] = await Promise.all([
            client.call('listSources', {}),
            client.call('listQuarantine', filter),
            client.call('getSettings', {}),
          ]);
          set({ sources, quarantine, settings });
        } catch (error) {
          set({ error: errorOf(error) });
        }
      },
      async setFilter(change) {
        const filter = { ...get().filter, page: 0, ...change };
        set({ filter });
        try {
          set({ quarantine: await client.call('listQuarantine', filter) });
        } catch (error) {
          set({ error: errorOf(error) });
        }
      },
      importPaths: (paths) =>
        operation('Importing files', 'import', async (operationId) => {
          const summary = await client.call('importFiles', { paths }, operationId);
          set({ lastSummary: summary });
          return describe(summary, 'Imported');
        }),
      importDropped: (files) =>
        operation('Uploading files', 'upload', async (operationId) => {
          const summary = await client.importDropped(files, operationId);
          set({ lastSummary: summary });
          return describe(summary, 'Imported');
        }),
      pull: (endpoint) =>
        operation('Pulling from the API', 'pull', async (operationId) => {
          const summary = await client.call('pullFromApi', endpoint, operationId);
          set({ lastSummary: summary });
          return describe(summary, 'Pulled');
        }),
      async saveEndpoint(endpoint) {
        try {
          set({ settings: await client.call('setSettings', { endpoint }), error: null });
        } catch (error) {
          set({ error: errorOf(error) });
        }
      },
      async removeEndpoint(id) {
        try {
          set({ settings: await client.call('setSettings', { removeEndpoint: id }) });
        } catch (error) {
          set({ error: errorOf(error) });
        }
      },
      importObjectStore: (storeId) =>
        operation('Importing from object storage', 'object-store', async (operationId) => {
          const summary = await client.call('importFromObjectStore', { storeId }, operationId);
          set({ lastSummary: summary });
          const files = `${summary.files.toLocaleString('en')} file(s) in the bucket`;
          return `${files}. ${describe(summary, 'Imported')}`;
        }),
      async saveObjectStore(store) {
        try {
          set({ settings: await client.call('setSettings', { objectStore: store }), error: null });
          return true;
        } catch (error) {
          set({ error: errorOf(error) });
          return false;
        }
      },
      async removeObjectStore(id) {
        try {
          set({ settings: await client.call('setSettings', { removeObjectStore: id }) });
        } catch (error) {
          set({ error: errorOf(error) });
        }
      },
      loadDemo: () =>
        operation('Loading demo data', 'demo', async (operationId) => {
          const demo = await client.call('loadDemoData', {}, operationId);
          const opened = await client.call('listSources', {});
          const where = opened.store.demo
            ? ` into a separate demo store, ${opened.store.name}; your own store ${opened.store.home} is unchanged (Back to my store)`
            : '';
          return `Loaded ${demo.inserted.toLocaleString('en')} demo records (${demo.scenarios.join(', ')})${where}.`;
        }),
      returnToStore: () =>
        operation('Opening your store', 'store', async () => {
          const back = await client.call('returnToStore', {});
          return `Back to your store, ${back.name}.`;
        }),
      async cancel() {
        if (running) await client.call('cancel', { operationId: running }).catch(() => undefined);
      },
    };
  });
}
