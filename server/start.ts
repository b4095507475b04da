/**
 * Runs the API as a process: listen, then on SIGTERM/SIGINT stop accepting, drain in-flight requests, flush and
 * fsync the log, close the engine and resolve with exit code 0 (1 when the drain had to be cut short).
 */
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerDeps } from './app.ts';
import type { ServerConfig } from './config.ts';

export interface RunningApi {
  app: FastifyInstance;
  /** http://host:port actually bound (port 0 resolved). */
  url: string;
  /** Starts the shutdown (as a signal would); resolves with the exit code. */
  shutdown(reason: string): Promise<number>;
  /** Resolves with the exit code once the server has shut down. */
  closed: Promise<number>;
}

export async function startApi(
  config: ServerConfig,
  deps: ServerDeps,
  options: { signals?: boolean; onListening?: (url: string) => void } = {},
): Promise<RunningApi> {
  const app = await buildServer(config, deps);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  options.onListening?.(url);

  let resolveClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (resolveClosed = resolve));
  let shutdownStarted: Promise<number> | null = null;

  const shutdown = (reason: string): Promise<number> => {
    shutdownStarted ??= (async () => {
      app.log.info({ reason }, 'shutting down: draining in-flight requests');
      app.vigie.shuttingDown = true;
      let forced = false;
      const timer = setTimeout(() => {
        forced = true;
        app.log.warn('drain deadline reached: closing open connections');
        app.server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      timer.unref();
      try {
        await app.close();
      } catch (error) {
        forced = true;
        app.log.error({ err: error }, 'error while closing');
      } finally {
        clearTimeout(timer);
      }
      const code = forced ? 1 : 0;
      resolveClosed(code);
      return code;
    })();
    return shutdownStarted;
  };

  if (options.signals !== false) {
    const onSignal = (signal: NodeJS.Signals) => {
      if (shutdownStarted === null) {
        void shutdown(signal);
        return;
      }
      // A second signal (Ctrl+C twice, a supervisor repeating itself) means "now": keep the log, skip the drain.
      app.log.warn({ signal }, 'second signal during the drain: exiting now');
      app.vigie.writer.flush();
      process.exit(1);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    void closed.then(() => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    });
  }
  return { app, url, shutdown, closed };
}
