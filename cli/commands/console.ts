/** `vigie console`: the monitoring console in a browser, served on loopback with a per-launch token. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { DEFAULT_STORE_PATH } from '../../db/index.ts';
import { buildRenderer, RENDERER_DIST, rendererBuilt } from '../../electron/headless/renderer-build.ts';
import { startConsoleServer } from '../../electron/headless/server.ts';
import { CliError } from '../errors.ts';
import { integerOption } from '../options.ts';

const DEFAULT_MODELS = fileURLToPath(new URL('../../models/', import.meta.url));
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

interface ConsoleOptions {
  port: number;
  host: string;
  db: string;
  models: string;
  build: boolean;
}

export function register(program: Command): void {
  program
    .command('console')
    .description('Open the monitoring console in a browser: serves it on loopback, protected by a per-launch token.')
    .addOption(
      new Option('--port <port>', 'TCP port (0 picks a free one)').default(5317).argParser(integerOption(0, 65535)),
    )
    .addOption(
      new Option('--host <host>', 'loopback address to listen on: 127.0.0.1, ::1 or localhost').default('127.0.0.1'),
    )
    .addOption(new Option('--db <file>', 'SQLite log store').default(DEFAULT_STORE_PATH))
    .addOption(new Option('--models <dir>', 'model packages and registry.json').default(DEFAULT_MODELS))
    .option('--no-build', 'do not build the console page when renderer/dist is missing')
    .action(async (options: ConsoleOptions) => {
      if (!LOOPBACK.has(options.host)) {
        throw new CliError(
          `--host ${options.host} is not a loopback address: the console only listens on 127.0.0.1, ::1 or localhost (reach a remote box with \`ssh -L 5317:127.0.0.1:5317 <box>\`)`,
        );
      }
      if (!rendererBuilt()) {
        if (!options.build) throw new CliError('the console page is not built: run `npm run build:renderer` first');
        try {
          await buildRenderer((line) => process.stderr.write(`${line}\n`));
        } catch (error) {
          throw new CliError((error as Error).message);
        }
      }
      const db = resolve(options.db);
      const workDir = mkdtempSync(join(tmpdir(), 'vigie-console-'));
      let server;
      try {
        server = await startConsoleServer({
          host: options.host === 'localhost' ? '127.0.0.1' : options.host,
          port: options.port,
          staticDir: RENDERER_DIST,
          backend: {
            dbPath: db,
            settingsPath: join(dirname(db), 'console-settings.json'),
            modelsDir: resolve(options.models),
            workDir,
          },
        });
      } catch (error) {
        rmSync(workDir, { recursive: true, force: true });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE')
          throw new CliError(`port ${options.port} is in use: choose another with --port (0 picks a free one)`);
        if (code === 'EACCES')
          throw new CliError(`cannot listen on port ${options.port}: permission denied; choose --port above 1023`);
        throw new CliError(`cannot start the console: ${(error as Error).message}`);
      }
      process.stdout.write(`Vigie console: ${server.openUrl}\n`);
      process.stderr.write(`Store: ${db}. Open the URL above in a browser; press Ctrl+C to stop.\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().finally(() => {
            rmSync(workDir, { recursive: true, force: true });
            done();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
