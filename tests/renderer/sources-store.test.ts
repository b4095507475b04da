import { describe, expect, it } from 'vitest';
import { createSourcesStore } from '../../renderer/src/stores/sources-store.ts';
import { deferred, scriptedClient } from './fake-client.ts';

const empty = {
  listSources: () => ({ sources: [], bounds: null, records: 0 }),
  listQuarantine: () => ({ rows: [], total: 0, page: 0, pageSize: 50, reasons: [] }),
  getSettings: () => ({ theme: 'system', endpoints: [], driftMethods: { number: 'psi', category: 'jensen_shannon' } }),
};
const summary = {
  files: 1,
  lines: 12,
  inserted: 10,
  duplicates: 0,
  quarantined: 2,
  byReason: { bad_json: 2 },
  errors: [],
};

describe('sources store', () => {
  it('says how many records an import added and that lines were quarantined', async () => {
    const { client } = scriptedClient({ ...empty, importFiles: () => summary });
    const store = createSourcesStore(client);
    await store.getState().importPaths(['/logs/a.jsonl']);
    expect(store.getState().message).toBe('Imported 10 new record(s), 2 line(s) quarantined — see below.');
  });

  it('reports a file that could not be read as a failure, not as a green "Imported 0"', async () => {
    const broken = {
      ...summary,
      lines: 0,
      inserted: 0,
      quarantined: 0,
      byReason: {},
      errors: ['logs.jsonl.gz: the gzip data is damaged (incorrect header check)'],
    };
    const { client } = scriptedClient({ ...empty, importFiles: () => broken });
    const store = createSourcesStore(client);
    await store.getState().importPaths(['/logs/logs.jsonl.gz']);
    expect(store.getState().message).toBeNull();
    expect(store.getState().error?.message).toBe(
      '1 file could not be read, nothing from it was stored: logs.jsonl.gz: the gzip data is damaged (incorrect header check). Check the file and import again.',
    );
  });

  it('refreshes the lists after an import', async () => {
    const { client, calls } = scriptedClient({ ...empty, importFiles: () => summary });
    await createSourcesStore(client).getState().importPaths(['/logs/a.jsonl']);
    expect(calls.map((c) => c.method)).toEqual(['importFiles', 'listSources', 'listQuarantine', 'getSettings']);
  });

  it('runs one long operation at a time', async () => {
    const gate = deferred<unknown>();
    const { client, calls } = scriptedClient({ ...empty, importFiles: () => gate.promise.then(() => summary) });
    const store = createSourcesStore(client);
    const first = store.getState().importPaths(['/a']);
    await store.getState().importPaths(['/b']);
    gate.resolve(null);
    await first;
    expect(calls.filter((c) => c.method === 'importFiles')).toHaveLength(1);
  });

  it('cancels the running operation by its id', async () => {
    const gate = deferred<unknown>();
    const { client, calls } = scriptedClient({
      ...empty,
      loadDemoData: () => gate.promise,
      cancel: () => ({ cancelled: true }),
    });
    const store = createSourcesStore(client);
    const running = store.getState().loadDemo();
    await store.getState().cancel();
    const started = calls.find((c) => c.method === 'loadDemoData')!;
    expect(calls.find((c) => c.method === 'cancel')?.input).toEqual({ operationId: started.operationId });
    gate.resolve({ scenarios: [], inserted: 0, range: null });
    await running;
  });

  it('shows the error of a failed import and leaves the store usable', async () => {
    const { client } = scriptedClient({
      ...empty,
      importFiles: () =>
        Promise.reject(
          Object.assign(new Error('Cannot read /nope: the file or folder does not exist.'), { code: 'FILE_NOT_FOUND' }),
        ),
    });
    const store = createSourcesStore(client);
    await store.getState().importPaths(['/nope']);
    expect(store.getState()).toMatchObject({ busy: null, error: { code: 'FILE_NOT_FOUND' } });
  });

  it('goes back to the first quarantine page when the reason filter changes', async () => {
    const { client, calls } = scriptedClient(empty);
    const store = createSourcesStore(client);
    await store.getState().setFilter({ page: 3 });
    await store.getState().setFilter({ reason: 'bad_json' });
    expect(calls.at(-1)?.input).toEqual({ page: 0, reason: 'bad_json' });
  });
});
