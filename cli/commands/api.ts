import type { Command } from 'commander';
import { ConfigError, configFromProcess, type ConfigOverrides } from '../../server/config.ts';
import { resolveReplica } from '../../server/replica-id.ts';
import { challengerLoader, engineLoader } from '../../server/engine-loader.ts';
import { resolveSecrets } from '../../server/secrets.ts';
import { tuneRuntimeForLatency } from '../../server/latency-runtime.ts';
import { startApi } from '../../server/start.ts';
import { CliError } from '../errors.ts';
import { integerOption } from '../options.ts';

interface ApiFlags {
  port?: number;
  host?: string;
}

/** A path as the shell reads it back, quoted only where it needs to be. */
function shellPath(file: string): string {
  return /^[\w@%+=:,./-]+$/.test(file) ? file : `'${file.replace(/'/g, "'\\''")}'`;
}

function generatedKeyNotice(variable: string, what: string, file: string): string {
  const cat = `cat ${shellPath(file)}`;
  return (
    `vigie api: no ${variable} set; generated ${what} into ${file} (mode 0600; the key is not printed)\n` +
    `  read it with: ${cat}   (in a container: docker exec <container> ${cat})\n`
  );
}

async function runApi(flags: ApiFlags): Promise<void> {
  const overrides: ConfigOverrides = {};
  if (flags.port !== undefined) overrides.port = flags.port;
  if (flags.host !== undefined) overrides.host = flags.host;
  let resolved;
  try {
    resolved = resolveSecrets(resolveReplica(configFromProcess(overrides)));
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  const { config, generatedApiKey, generatedAdminKey, adminKeyFile } = resolved;
  // Never the key itself: stdout ends up in container and CI logs (decision 0901). Only where it is and how to read it.
  if (generatedApiKey !== null) {
    process.stdout.write(generatedKeyNotice('VIGIE_API_KEYS', 'a scoring key', config.apiKeyFile));
  }
  if (generatedAdminKey !== null) {
    process.stdout.write(
      generatedKeyNotice(
        'VIGIE_ADMIN_KEYS',
        "an admin key (it reads the logs: the console's Sources page needs it)",
        adminKeyFile,
      ),
    );
  }
  tuneRuntimeForLatency();
  let log: (message: string) => void = () => undefined;
  let api;
  try {
    api = await startApi(
      config,
      {
        loadEngine: engineLoader(config, (message) => log(message)),
        loadChallenger: challengerLoader(config, (message) => log(message)),
      },
      { onListening: (url) => process.stdout.write(`vigie api listening on ${url} (replica ${config.replica})\n`) },
    );
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new CliError(`cannot listen on ${config.host}:${config.port}: ${code}`);
    }
    throw error;
  }
  log = (message) => api.app.log.info(message);
  const code = await api.closed;
  process.stdout.write(`vigie api stopped (${code === 0 ? 'drained' : 'drain cut short'})\n`);
  process.exitCode = code;
}

export function register(program: Command): void {
  program
    .command('api')
    .description('Serve the scoring API (champion + fallback from the models folder); configured by VIGIE_* variables')
    .option(
      '--port <port>',
      'port to listen on, 0 for any free port (env VIGIE_PORT, default 8080)',
      integerOption(0, 65535),
    )
    .option('--host <address>', 'address to listen on (env VIGIE_HOST, default 127.0.0.1)')
    .addHelpText(
      'after',
      `
Keys and files (environment):
  VIGIE_API_KEYS      scoring keys, comma-separated (default: one generated into var/api-key, never printed)
  VIGIE_ADMIN_KEYS    admin keys: read the logs (GET /v1/logs) and may score; the console's Sources page needs one
                      (default: one generated into var/admin-key, beside the scoring key file, never printed)
  VIGIE_API_KEY_FILE  where the generated scoring key is kept (default var/api-key)
  VIGIE_LOG_DIR       folder of the production log files the console pulls (default var/logs)
Connect the console: Sources ▸ API URL http://127.0.0.1:8080 with the admin key (cat var/admin-key).`,
    )
    .action(runApi);
}
