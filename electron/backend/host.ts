/**
 * The backend side of the process boundary: answers calls arriving on a MessagePortLike with the console API.
 * Runs inside a worker thread (browser shell) or an Electron utilityProcess (desktop), never on a UI thread.
 */
import { randomUUID } from 'node:crypto';
import { createDispatcher } from './api/dispatch.ts';
import { isToBackend, type BackendConfig, type FromBackend, type MessagePortLike } from '../../console-api/protocol.ts';
import { createServices } from './services.ts';
import type { Vault } from './settings-store.ts';
import { METHODS } from './api/methods.ts';
import { prewarm } from './handlers/prewarm.ts';

/** Asks the shell to encrypt or decrypt (desktop: Electron safeStorage, which only the main process has). */
function portVault(
  port: MessagePortLike,
  pending: Map<string, (reply: { value?: string; error?: string }) => void>,
): Vault {
  const ask = (op: 'encrypt' | 'decrypt', value: string) =>
    new Promise<string>((resolve, reject) => {
      const id = randomUUID();
      pending.set(id, (reply) =>
        reply.error !== undefined ? reject(new Error(reply.error)) : resolve(reply.value ?? ''),
      );
      port.postMessage({ kind: 'vault', id, op, value } satisfies FromBackend);
    });
  return { persistent: true, encrypt: (v) => ask('encrypt', v), decrypt: (v) => ask('decrypt', v) };
}

export function serveBackend(port: MessagePortLike, config: BackendConfig, onClosed: () => void = () => {}): void {
  const send = (message: FromBackend) => port.postMessage(message);
  const vaultReplies = new Map<string, (reply: { value?: string; error?: string }) => void>();
  let services;
  try {
    services = createServices(config, config.persistentVault ? portVault(port, vaultReplies) : null, (event) =>
      send({ kind: 'event', event }),
    );
  } catch (error) {
    send({ kind: 'fatal', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const dispatcher = createDispatcher(METHODS, services, (event) => send({ kind: 'event', event }));
  port.on('message', (raw) => {
    if (!isToBackend(raw)) return;
    if (raw.kind === 'call') {
      void dispatcher
        .call(raw.operationId, raw.method, raw.input)
        .then((result) => send({ kind: 'result', id: raw.id, result }));
    } else if (raw.kind === 'vault-result') {
      const reply = vaultReplies.get(raw.id);
      vaultReplies.delete(raw.id);
      reply?.({
        ...(raw.value !== undefined ? { value: raw.value } : {}),
        ...(raw.error !== undefined ? { error: raw.error } : {}),
      });
    } else if (raw.kind === 'close') {
      dispatcher.cancelAll();
      services.close();
      send({ kind: 'closed' });
      onClosed();
    }
  });
  send({ kind: 'ready' });
  prewarm(services);
}
