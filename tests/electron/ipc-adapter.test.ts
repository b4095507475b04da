import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallResult, ConsoleEvent } from '../../console-api/types.ts';
import { createBackendClient, type BackendClient } from '../../electron/backend/client.ts';
import { serveBackend } from '../../electron/backend/host.ts';
import {
  IPC_CALL,
  IPC_EVENT,
  registerConsoleIpc,
  type IpcInvokeEventLike,
  type IpcMainLike,
  type WebContentsLike,
} from '../../electron/backend/transport/ipc-adapter.ts';
import { tempConsole, writeLogFile } from './helpers.ts';

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(url: string | null, ...args: unknown[]): Promise<CallResult<unknown>> {
    const handler = this.handlers.get(IPC_CALL);
    if (!handler) throw new Error('no handler');
    return Promise.resolve(
      handler({ senderFrame: url === null ? null : { url }, sender: { id: 1 } }, ...args),
    ) as Promise<CallResult<unknown>>;
  }
}

class FakeWindow implements WebContentsLike {
  readonly received: unknown[] = [];
  destroyed = false;
  send(channel: string, payload: unknown): void {
    if (channel === IPC_EVENT) this.received.push(payload);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

const APP = 'app://console/index.html';

describe('IPC adapter over the real backend', () => {
  let fixture: ReturnType<typeof tempConsole>;
  let client: BackendClient;
  let ipc: FakeIpcMain;
  let window: FakeWindow;
  let dispose: () => void;
  let channel: MessageChannel;

  beforeEach(async () => {
    fixture = tempConsole();
    channel = new MessageChannel();
    serveBackend(channel.port2, fixture.config);
    client = createBackendClient(channel.port1);
    await client.ready;
    ipc = new FakeIpcMain();
    window = new FakeWindow();
    dispose = registerConsoleIpc(ipc, client, {
      isTrustedSender: (event) => event.senderFrame?.url.startsWith('app://console/') === true,
      targets: () => [window],
    });
  });

  afterEach(async () => {
    dispose();
    await client.close();
    channel.port1.close();
    fixture.cleanup();
  });

  it('answers an allowed method from the app page with the backend result', async () => {
    const result = await ipc.invoke(APP, 'listSources', {});
    expect(result).toMatchObject({ ok: true, value: { sources: [], bounds: null, records: 0 } });
  });

  it('refuses a call from a frame outside the app', async () => {
    const result = await ipc.invoke('https://evil.example/', 'listSources', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
  });

  it('refuses a call whose sender frame is gone', async () => {
    expect(await ipc.invoke(null, 'listSources', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
  });

  it('refuses a method that is not on the allow-list', async () => {
    const result = await ipc.invoke(APP, 'constructor', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('refuses a malformed operation id', async () => {
    const result = await ipc.invoke(APP, 'listSources', {}, '../../etc');
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('passes the backend schema errors back with their paths', async () => {
    const result = await ipc.invoke(APP, 'listQuarantine', { page: -1 });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', issues: [{ path: 'page', code: 'too_small' }] },
    });
  });

  it('forwards progress and data-changed events of an import to the windows', async () => {
    const file = writeLogFile(fixture.dir, 'predictions-api-0-2026-11-20.jsonl', 50);
    const result = await ipc.invoke(APP, 'importFiles', { paths: [file] }, 'import-1');
    expect(result).toMatchObject({ ok: true, value: { inserted: 50 } });
    const events = window.received as ConsoleEvent[];
    expect(events).toContainEqual({ type: 'data-changed' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'end', operationId: 'import-1', ok: true }));
  });

  it('sends nothing to a destroyed window', async () => {
    window.destroyed = true;
    const file = writeLogFile(fixture.dir, 'predictions-api-0-2026-11-20.jsonl', 5);
    await ipc.invoke(APP, 'importFiles', { paths: [file] });
    expect(window.received).toEqual([]);
  });

  it('removes its handler when disposed', () => {
    dispose();
    expect(ipc.handlers.has(IPC_CALL)).toBe(false);
  });
});
