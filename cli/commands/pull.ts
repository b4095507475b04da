/** `vigie pull`: copy the scoring API's production log into the SQLite log store, from where the last pull stopped. */
import { Command, Option } from 'commander';
import { MAX_PAGE_SIZE, PullError, pullLogs, type IngestSummary } from '../../core/ingest/index.ts';
import { DEFAULT_STORE_PATH } from '../../db/index.ts';
import { CliError } from '../errors.ts';
import { integerOption, numberOption } from '../options.ts';
import { evaluateAfterChange } from './alert-hook.ts';
import { interruptSignal, openStoreForWriting, printSummary, storeBusyError } from './ingest.ts';

interface PullFlags {
  url: string;
  key?: string;
  db: string;
  limit: number;
  follow: boolean;
  interval: number;
  json: boolean;
  alerts: boolean;
}

async function runPull(flags: PullFlags): Promise<void> {
  if (!flags.key) throw new CliError('an admin key is needed: pass --key <key> or set VIGIE_ADMIN_KEY');
  const store = openStoreForWriting(flags.db);
  const interrupt = interruptSignal();
  let summary: IngestSummary;
  try {
    summary = await pullLogs(store, {
      url: flags.url,
      key: flags.key,
      pageSize: flags.limit,
      follow: flags.follow,
      intervalSeconds: flags.interval,
      signal: interrupt.signal,
      onRetry: ({ attempt, delayMs, reason }) =>
        process.stderr.write(`vigie: ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s (try ${attempt + 1})\n`),
    });
    if (flags.alerts && summary.inserted > 0) await evaluateAfterChange(store, 'pull');
  } catch (error) {
    if (error instanceof PullError) throw new CliError(error.message);
    throw storeBusyError(error, flags.db) ?? error;
  } finally {
    interrupt.dispose();
    store.close();
  }
  printSummary(summary, flags.json, `pulled from ${flags.url}`);
}

export function register(program: Command): void {
  program
    .command('pull')
    .description(
      "Pull the scoring API's production log (GET /v1/logs) into the SQLite log store, resuming from the stored " +
        'cursor; retries network errors, 429 and 5xx with backoff, stops on other 4xx.',
    )
    .requiredOption('--url <url>', 'the API base URL, e.g. http://127.0.0.1:8080')
    .addOption(new Option('--key <key>', 'an admin API key (never stored or printed)').env('VIGIE_ADMIN_KEY'))
    .addOption(new Option('--db <file>', 'SQLite log store (created when missing)').default(DEFAULT_STORE_PATH))
    .addOption(
      new Option('--limit <n>', `records per request (1-${MAX_PAGE_SIZE})`)
        .default(5000)
        .argParser(integerOption(1, MAX_PAGE_SIZE)),
    )
    .option('--follow', 'keep polling for new records until interrupted (Ctrl-C)', false)
    .addOption(
      new Option('--interval <seconds>', 'seconds between polls with --follow')
        .default(10)
        .argParser(numberOption(0.1, 86_400)),
    )
    .option('--json', 'print the summary as one JSON object on stdout', false)
    .option('--no-alerts', 'do not evaluate the alert rules after the pull')
    .action((flags: PullFlags) => runPull(flags));
}
