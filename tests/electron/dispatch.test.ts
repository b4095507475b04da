import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../electron/backend/api/methods.ts';
import type { ConsoleEvent } from '../../console-api/types.ts';
import { createServices, type Services } from '../../electron/backend/services.ts';
import { tempConsole, writeLogFile } from './helpers.ts';

describe('console API dispatcher over the real backend', () => {
  let fixture: ReturnType<typeof tempConsole>;
  let services: Services;
  let events: ConsoleEvent[];

  beforeEach(() => {
    fixture = tempConsole();
    events = [];
    services = createServices(fixture.config, null, (event) => events.push(event));
  });

  afterEach(() => {
    services.close();
    fixture.cleanup();
  });

  const dispatcher = () => createDispatcher(METHODS, services, (event) => events.push(event));

  it('cancels a running demo load by its operation id', async () => {
    const api = dispatcher();
    const running = api.call('demo-1', 'loadDemoData', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await api.call('cancel-1', 'cancel', { operationId: 'demo-1' })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await running).toMatchObject({ ok: false, error: { code: 'OPERATION_CANCELLED' } });
    expect(events).toContainEqual(expect.objectContaining({ type: 'end', operationId: 'demo-1', ok: false }));
  });

  it('says when there is no such operation to cancel', async () => {
    expect(await dispatcher().call('c', 'cancel', { operationId: 'nothing' })).toEqual({
      ok: true,
      value: { cancelled: false },
    });
  });

  it('refuses a second import while one is running', async () => {
    const api = dispatcher();
    const file = writeLogFile(fixture.dir, 'a.jsonl', 2000);
    const first = api.call('import-1', 'importFiles', { paths: [file] });
    const second = await api.call('import-2', 'importFiles', { paths: [file] });
    expect(second).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(await first).toMatchObject({ ok: true });
  });

  it('answers overview with the stored traffic after an import', async () => {
    const api = dispatcher();
    await api.call('i', 'importFiles', { paths: [writeLogFile(fixture.dir, 'a.jsonl', 120)] });
    const result = await api.call('o', 'overview', {});
    expect(result).toMatchObject({ ok: true, value: { totals: { requests: 120, ok: 120 } } });
  });

  it('computes drift against the champion reference in the analysis worker, then serves field details from it', async () => {
    const api = dispatcher();
    await api.call('i', 'importFiles', { paths: [writeLogFile(fixture.dir, 'a.jsonl', 200)] });
    const drift = await api.call('d', 'drift', {});
    expect(drift).toMatchObject({ ok: true, value: { currentCount: 200 } });
    const rows = (drift as { value: { fields: Array<{ field: string; drifted: boolean }> } }).value.fields;
    expect(rows.find((row) => row.field === 'AMT_INCOME_TOTAL')).toMatchObject({ drifted: true });
    const detail = await api.call('f', 'driftField', { field: 'AMT_INCOME_TOTAL' });
    expect(detail).toMatchObject({ ok: true, value: { field: 'AMT_INCOME_TOTAL', method: 'psi' } });
  });

  it('turns a missing import path into FILE_NOT_FOUND naming it', async () => {
    const result = await dispatcher().call('i', 'importFiles', { paths: ['/no/such/logs'] });
    expect(result).toEqual({
      ok: false,
      error: { code: 'FILE_NOT_FOUND', message: 'Cannot read /no/such/logs: the file or folder does not exist.' },
    });
  });

  it('refuses to export a report where it cannot write', async () => {
    const api = dispatcher();
    await api.call('i', 'importFiles', { paths: [writeLogFile(fixture.dir, 'a.jsonl', 50)] });
    const result = await api.call('r', 'exportReport', { format: 'json', path: '/no/such/folder/report.json' });
    expect(result).toMatchObject({ ok: false, error: { code: 'FILE_NOT_WRITABLE' } });
  });

  it('never lets a handler crash escape as anything but a catalogue error', async () => {
    const result = await dispatcher().call('x', 'drift', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'STORE_EMPTY' } });
  });
});
