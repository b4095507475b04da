/** `vigie ingest <files or folders…>`: import production log files into the SQLite log store. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { ingestPaths, IngestInputError, type IngestProgress, type IngestSummary } from '../../core/ingest/index.ts';
import { DEFAULT_STORE_PATH, openStore, StoreError, type Store } from '../../db/index.ts';
import { CliError } from '../errors.ts';
import { integerOption } from '../options.ts';
import { evaluateAfterChange } from './alert-hook.ts';
import { benchGroup } from './bench.ts';

interface IngestFlags {
  db: string;
  json: boolean;
  progress: boolean;
  alerts: boolean;
}

/**
 * Opens the store for writing. The default path's folder (./var) is created; a folder named by the user must exist,
 * so a typo in --db is an error rather than a new store in a surprising place.
 */
export function openStoreForWriting(file: string): Store {
  if (file === DEFAULT_STORE_PATH && !existsSync(dirname(resolve(file)))) {
    mkdirSync(dirname(resolve(file)), { recursive: true });
  }
  try {
    return openStore(file);
  } catch (error) {
    if (error instanceof StoreError)
      throw new CliError(`--db ${file}: ${error.message.replace(/^cannot open the database [^:]*: /, '')}`);
    throw error;
  }
}

const format = new Intl.NumberFormat('en-US');

/** The summary as people read it: one line of totals, then the reasons for quarantined lines. */
export function describeSummary(summary: IngestSummary, what: string): string {
  const rate = summary.seconds > 0 ? Math.round(summary.lines / summary.seconds) : 0;
  const lines = [
    `${what}: ${format.format(summary.lines)} lines, ${format.format(summary.inserted)} inserted, ` +
      `${format.format(summary.duplicates)} duplicates, ${format.format(summary.quarantined)} quarantined ` +
      `in ${summary.seconds.toFixed(1)} s (${format.format(rate)} lines/s)`,
  ];
  const reasons = Object.entries(summary.by_reason);
  if (reasons.length > 0) {
    lines.push(`quarantined by reason: ${reasons.map(([reason, n]) => `${reason} ${format.format(n)}`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A progress bar on stderr (bytes, records/s, ETA), only on a terminal. */
export function progressBar(enabled: boolean): { update(p: IngestProgress): void; stop(): void } {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ' {bar} {percentage}% | {doneMb}/{totalMb} MB | {rate} records/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = {
        doneMb: (p.bytesDone / 1e6).toFixed(1),
        totalMb: (p.bytesTotal / 1e6).toFixed(1),
        rate: format.format(Math.round(p.lines / Math.max(p.elapsedMs / 1000, 1e-3))),
      };
      if (!started) {
        bar.start(Math.max(p.bytesTotal, 1), 0, payload);
        started = true;
      }
      bar.update(p.bytesDone, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Aborts on Ctrl-C so the batch being written is the last one; the import resumes on the next run. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** A store another process is writing to for longer than better-sqlite3's 5 s wait is reported, not crashed on. */
export function storeBusyError(error: unknown, file: string): CliError | null {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
    ? new CliError(`--db ${file} is busy: another process is writing to it; try again when it is done`)
    : null;
}

export function printSummary(summary: IngestSummary, json: boolean, what: string): void {
  if (json) {
    const { files, lines, inserted, duplicates, quarantined, by_reason, errors, skipped, aborted, seconds } = summary;
    const out = { files, lines, inserted, duplicates, quarantined, by_reason, errors, skipped, aborted, seconds };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    process.stdout.write(describeSummary(summary, what));
  }
  for (const error of summary.errors) process.stderr.write(`vigie: warning: ${error.source}: ${error.error}\n`);
}

async function runIngest(paths: string[], flags: IngestFlags): Promise<void> {
  const store = openStoreForWriting(flags.db);
  const bar = progressBar(flags.progress);
  const interrupt = interruptSignal();
  let summary: IngestSummary;
  try {
    summary = await ingestPaths(store, paths, { signal: interrupt.signal, onProgress: (p) => bar.update(p) });
    bar.stop();
    if (flags.alerts && !summary.aborted && summary.inserted > 0) await evaluateAfterChange(store, 'ingest');
  } catch (error) {
    if (error instanceof IngestInputError) throw new CliError(error.message);
    throw storeBusyError(error, flags.db) ?? error;
  } finally {
    bar.stop();
    interrupt.dispose();
    store.close();
  }
  printFileImport(summary, flags.json);
}

/** The end of a file import (`ingest`, `import-bucket`): the summary, then an interruption as a resumable error. */
export function printFileImport(summary: IngestSummary, json: boolean): void {
  const imported = summary.files - summary.skipped;
  printSummary(summary, json, `${imported} file(s) imported, ${summary.skipped} already imported`);
  if (summary.aborted) throw new CliError('interrupted: run the same command again to resume where it stopped');
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description(
      'Import production log files (.jsonl, .jsonl.gz; folders searched recursively) into the SQLite log store. ' +
        'Records already stored (same request_id) are skipped; unreadable lines are quarantined with their reason.',
    )
    .argument('<paths...>', 'log files or folders')
    .addOption(new Option('--db <file>', 'SQLite log store (created when missing)').default(DEFAULT_STORE_PATH))
    .option('--json', 'print the summary as one JSON object on stdout', false)
    .option('--no-progress', 'no progress bar on stderr (it only shows on a terminal anyway)')
    .option('--no-alerts', 'do not evaluate the alert rules after the import')
    .action((paths: string[], flags: IngestFlags) => runIngest(paths, flags));
  benchGroup(program)
    .command('ingest')
    .description(
      'Import simulated .jsonl.gz logs into a fresh store: records/s, peak RSS, and the read times of the console.',
    )
    .addOption(new Option('--records <n>', 'records to simulate').default(1_000_000).argParser(integerOption(1)))
    .addOption(new Option('--days <n>', 'days they span').default(7).argParser(integerOption(1, 366)))
    .option('--dir <folder>', 'work folder, kept afterwards (default: a temporary folder, removed)')
    .option('--json', 'print one JSON object')
    .option('--no-peers', 'do not run DuckDB and pandas on the same files (bench/peers-requirements.txt)')
    .exitOverride()
    .allowExcessArguments(false)
    .action(async (flags: { records: number; days: number; dir?: string; json?: boolean; peers?: boolean }) => {
      const bench = (await import('../../bench/ingest.ts')) as typeof import('../../bench/ingest.ts');
      await bench.run(flags);
    });
}
