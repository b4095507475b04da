/**
 * The shell side of the process boundary: turns a backend process (worker thread or utilityProcess), seen as a
 * MessagePortLike, into `call(method, input)` promises and a stream of events. Transports sit on this.
 */
import { randomUUID } from 'node:crypto';
import { ConsoleError } from '../../console-api/errors.ts';
import type { FromBackend, MessagePortLike } from '../../console-api/protocol.ts';
import type { CallResult, ConsoleEvent } from '../../console-api/types.ts';

export interface ShellVault {
  encrypt(value: string): string | Promise<string>;
  decrypt(value: string): string | Promise<string>;
}

export interface BackendClient {
  /** Resolves once the backend has opened its store. */
  readonly ready: Promise<void>;
  call(method: string, input: unknown, operationId?: string): Promise<CallResult<unknown>>;
  onEvent(listener: (event: ConsoleEvent) => void): () => void;
  /** Closes the store and resolves when the backend has let go of it. */
  close(): Promise<void>;
  /** Tells pending calls the backend is gone (its process exited). */
  fail(reason: string): void;
}

export function createBackendClient(port: MessagePortLike, vault?: ShellVault): BackendClient {
  const pending = new Map<string, (result: CallResult<unknown>) => void>();
  const listeners = new Set<(event: ConsoleEvent) => void>();
  let failure: string | null = null;
  let markReady!: () => void;
  let markFailed!: (error: Error) => void;
  let markClosed: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  ready.catch(() => {});

  const failAll = (reason: string) => {
    failure = reason;
    const body = new ConsoleError('BACKEND_UNAVAILABLE', reason).toBody();
    for (const resolve of pending.values()) resolve({ ok: false, error: body });
    pending.clear();
    markFailed(new Error(reason));
    markClosed();
  };

  port.on('message', (raw) => {
    const message = raw as FromBackend;
    switch (message?.kind) {
      case 'ready':
        markReady();
        break;
      case 'fatal':
        failAll(message.message);
        break;
      case 'result': {
        const resolve = pending.get(message.id);
        pending.delete(message.id);
        resolve?.(message.result);
        break;
      }
      case 'event':
        for (const listener of listeners) listener(message.event);
        break;
      case 'vault':
        void answerVault(message);
        break;
      case 'closed':
        markClosed();
        break;
    }
  });

  async function answerVault(message: Extract<FromBackend, { kind: 'vault' }>) {
    try {
      if (!vault) throw new Error('no key vault in this shell');
      const value = message.op === 'encrypt' ? await vault.encrypt(message.value) : await vault.decrypt(message.value);
      port.postMessage({ kind: 'vault-result', id: message.id, value });
    } catch (error) {
      port.postMessage({
        kind: 'vault-result',
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  return {
    ready,
    call(method, input, operationId = randomUUID()) {
      if (failure !== null) {
        return Promise.resolve({ ok: false, error: new ConsoleError('BACKEND_UNAVAILABLE', failure).toBody() });
      }
      return new Promise((resolve) => {
        const id = randomUUID();
        pending.set(id, resolve);
        port.postMessage({ kind: 'call', id, operationId, method, input });
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (failure !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        markClosed = resolve;
        port.postMessage({ kind: 'close' });
      });
    },
    fail: failAll,
  };
}
