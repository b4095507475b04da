/** `vigie labels import`: load observed outcomes (defaults) into the log store, keyed by request or applicant. */
import { Command, Option } from 'commander';
import {
  HashKeyError,
  importOutcomes,
  OutcomeInputError,
  readHashKeyFile,
  type OutcomeImportSummary,
  type OutcomeKey,
} from '../../core/outcomes/index.ts';
import { DEFAULT_STORE_PATH, OutcomeTable } from '../../db/index.ts';
import { CliError } from '../errors.ts';
import { choiceOption } from '../options.ts';
import { evaluateAfterChange } from './alert-hook.ts';
import { interruptSignal, openStoreForWriting, storeBusyError } from './ingest.ts';

interface LabelsFlags {
  db: string;
  key: OutcomeKey;
  hashKeyFile?: string;
  json: boolean;
  alerts: boolean;
}

const format = new Intl.NumberFormat('en-US');

export function describeOutcomeSummary(summary: OutcomeImportSummary): string {
  const lines = [
    `${summary.file}: ${format.format(summary.lines)} lines, ${format.format(summary.inserted)} outcomes added, ` +
      `${format.format(summary.duplicates)} duplicates, ${format.format(summary.conflicts)} conflicts, ` +
      `${format.format(summary.unmatched)} with no prediction yet, ${format.format(summary.quarantined)} quarantined`,
  ];
  const reasons = Object.entries(summary.byReason);
  if (reasons.length) lines.push(`quarantined by reason: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  for (const c of summary.conflictList.slice(0, 20)) {
    lines.push(
      `conflict, line ${c.lineNo}: ${c.requestId ?? `applicant ${c.applicantRef}`} already has TARGET ${c.storedOutcome}, ` +
        `the file says ${c.newOutcome} (kept ${c.storedOutcome})`,
    );
  }
  if (summary.conflicts > 20) lines.push(`… ${summary.conflicts - 20} more conflicts (see --json)`);
  for (const u of summary.unmatchedList.slice(0, 20)) {
    lines.push(`no prediction yet, line ${u.lineNo}: ${u.requestId ?? `applicant ${u.applicantRef}`}`);
  }
  if (summary.unmatched > 20) lines.push(`… ${summary.unmatched - 20} more without a prediction (see --json)`);
  return `${lines.join('\n')}\n`;
}

async function runLabelsImport(file: string, flags: LabelsFlags): Promise<void> {
  if (flags.key === 'request_id' && flags.hashKeyFile !== undefined) {
    throw new CliError('--hash-key-file is only used with --key SK_ID_CURR');
  }
  let hashKey: string | null = null;
  if (flags.key === 'SK_ID_CURR') {
    if (flags.hashKeyFile === undefined) {
      throw new CliError(
        "outcomes keyed by SK_ID_CURR are pseudonymised with the API's hash key: pass --hash-key-file <file>",
      );
    }
    try {
      hashKey = readHashKeyFile(flags.hashKeyFile);
    } catch (error) {
      if (error instanceof HashKeyError) throw new CliError(error.message);
      throw error;
    }
  }
  const store = openStoreForWriting(flags.db);
  const interrupt = interruptSignal();
  let summary: OutcomeImportSummary;
  try {
    summary = await importOutcomes(new OutcomeTable(store.db), file, {
      key: flags.key,
      hashKey,
      signal: interrupt.signal,
    });
    if (flags.alerts && summary.inserted > 0) await evaluateAfterChange(store, 'labels import');
  } catch (error) {
    if (error instanceof OutcomeInputError) throw new CliError(error.message);
    throw storeBusyError(error, flags.db) ?? error;
  } finally {
    interrupt.dispose();
    store.close();
  }
  process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : describeOutcomeSummary(summary));
}

export function register(program: Command): void {
  const labels = program.command('labels').description('Observed outcomes (defaults) of scored requests.');
  labels
    .command('import <file>')
    .description(
      'Import outcomes from a .csv or .jsonl file (optionally .gz) with request_id or SK_ID_CURR, TARGET (1 = defaulted) ' +
        'and observed_at; conflicts are reported and never applied, re-importing adds nothing.',
    )
    .addOption(new Option('--db <file>', 'SQLite log store (created when missing)').default(DEFAULT_STORE_PATH))
    .addOption(
      new Option('--key <column>', 'the column outcomes are keyed by')
        .choices(['request_id', 'SK_ID_CURR'])
        .default('request_id')
        .argParser(choiceOption(['request_id', 'SK_ID_CURR'] as const)),
    )
    .option(
      '--hash-key-file <file>',
      "with --key SK_ID_CURR: the API's hash key file (VIGIE_HASH_KEY_FILE); ids are hashed, never stored",
    )
    .option('--json', 'print the summary as one JSON object on stdout', false)
    .option('--no-alerts', 'do not evaluate the alert rules after the import')
    .action((file: string, flags: LabelsFlags) => runLabelsImport(file, flags));
}
