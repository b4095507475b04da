/**
 * The browser shell: serves the built renderer and the console API over HTTP on loopback, with the backend in a
 * worker thread. `vigie console` and the end-to-end tests start it; so does `npm start` without the Electron binary.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnWorker } from '../../core/runtime/index.ts';
import type { BackendConfig } from '../../console-api/protocol.ts';
import { createBackendClient, type BackendClient } from '../backend/client.ts';
import { createHttpHandler } from '../backend/transport/http-adapter.ts';
import { allowedHostNames } from '../backend/transport/security.ts';

export interface ConsoleServerOptions {
  host: string;
  port: number;
  backend: Omit<BackendConfig, 'persistentVault'>;
  /** The built renderer (renderer/dist), or null to serve the API only. */
  staticDir: string | null;
  /** Fixed token (tests); a fresh random one per launch otherwise. */
  token?: string;
}

export interface ConsoleServer {
  url: string;
  /** The URL to open, token included. */
  openUrl: string;
  token: string;
  client: BackendClient;
  close(): Promise<void>;
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const config: BackendConfig = { ...options.backend, persistentVault: false };
  const worker = spawnWorker(new URL('../backend/worker-entry.ts', import.meta.url), { workerData: config });
  const client = createBackendClient(worker);
  worker.on('error', (error) => client.fail(error.message));
  worker.on('exit', (code) => client.fail(`the backend worker exited with code ${code}`));
  try {
    await client.ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  let hosts = new Set<string>();
  const server: Server = createServer(
    createHttpHandler({
      caller: client,
      token,
      hosts: () => hosts,
      staticDir: options.staticDir,
      workDir: options.backend.workDir,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hosts = allowedHostNames(options.host, port);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${shownHost}:${port}`;

  return {
    url,
    openUrl: `${url}/?token=${token}`,
    token,
    client,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.race([client.close(), new Promise((resolve) => setTimeout(resolve, 5000))]);
      await worker.terminate();
    },
  };
}
