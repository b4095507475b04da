/** `vigie check`: every alert rule over a period, as a CI or cron gate (exit 0 clean, 1 tripped, 2 error). */
import { Command, Option } from 'commander';
import { evaluateStoredPeriod, type AlertFinding, type StoredEvaluation } from '../../core/alerts/index.ts';
import { AlertTable, OutcomeTable } from '../../db/index.ts';
import { CliError, EXIT } from '../errors.ts';
import { timeOption } from '../options.ts';
import { storedDriftProbe } from './alert-drift.ts';
import { checkRange, openExistingStore } from './drift.ts';
import { loadValidation } from './performance.ts';

interface CheckFlags {
  db: string;
  from?: number;
  to?: number;
  failOn: 'warning' | 'critical';
  modelsDir: string;
  json?: boolean;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function checkText(evaluation: StoredEvaluation, tripped: AlertFinding[], failOn: string): string {
  const lines = [
    `checked ${new Date(evaluation.from).toISOString()} to ${new Date(evaluation.to).toISOString()}` +
      (evaluation.driftEvaluated ? '' : ' (drift rules not evaluated: no model reference or no scored records)'),
    ...evaluation.findings.map(
      (f) => `${f.severity.toUpperCase().padEnd(8)} ${f.rule.padEnd(23)} ${day(f.periodStart)}  ${f.message}`,
    ),
  ];
  const retrain = evaluation.findings.find((f) => f.rule === 'retraining_recommended');
  if (retrain)
    lines.push(
      '',
      `retraining recommended. Reasons:`,
      ...retrain.reasons!.map((r) => `  - ${r}`),
      `command: ${retrain.command}`,
    );
  lines.push(
    '',
    tripped.length
      ? `FAILED: ${tripped.length} finding(s) at ${failOn} or above`
      : `passed: no finding at ${failOn} or above (${evaluation.findings.length} in all)`,
  );
  return `${lines.join('\n')}\n`;
}

async function runCheck(flags: CheckFlags): Promise<void> {
  checkRange(flags.from, flags.to, '--from/--to');
  const store = await openExistingStore(flags.db);
  let evaluation: StoredEvaluation | null;
  try {
    evaluation = await evaluateStoredPeriod(
      {
        performance: new OutcomeTable(store.db),
        records: store,
        drift: storedDriftProbe(store, flags.modelsDir),
        validation: await loadValidation(flags.modelsDir),
      },
      new AlertTable(store.db).alertSettings(),
      { from: flags.from, to: flags.to },
    );
  } finally {
    store.close();
  }
  if (!evaluation) throw new CliError(`${flags.db}: the store holds no records to check (import or pull logs first)`);
  const tripped = evaluation.findings.filter((f) => flags.failOn === 'warning' || f.severity === 'critical');
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ from: evaluation.from, to: evaluation.to, failOn: flags.failOn, passed: tripped.length === 0, driftEvaluated: evaluation.driftEvaluated, findings: evaluation.findings })}\n`,
    );
  } else process.stdout.write(checkText(evaluation, tripped, flags.failOn));
  if (tripped.length) process.exitCode = EXIT.gate;
}

export function register(program: Command): void {
  program
    .command('check')
    .description(
      'Run every alert rule (drift, performance, operations, fairness) over a period of the log store: exit 0 when ' +
        'clean, 1 when a finding reaches --fail-on, 2 on an error. For CI and cron.',
    )
    .requiredOption('--db <file>', 'log store (SQLite)')
    .option('--from <time>', 'start of the period, inclusive (ISO 8601; default: the first stored)', timeOption)
    .option('--to <time>', 'end of the period, exclusive (default: after the last stored)', timeOption)
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that fails the check')
        .choices(['warning', 'critical'])
        .default('warning'),
    )
    .option('--models-dir <dir>', 'folder holding registry.json and the packages', 'models')
    .option('--json', 'print the findings as JSON on stdout')
    .action((flags: CheckFlags) => runCheck(flags));
}
