import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { detectAnomalies, VOTES, WINDOW_SIZES, type Vote, type WindowSize } from '../../core/analysis/index.ts';
import { modelInfo, renderReportHtml, renderReportJson, type Report } from '../../core/report/index.ts';
import { PerformanceInputError, storedPerformance } from '../../core/analysis/performance/index.ts';
import { OutcomeTable, type Store } from '../../db/index.ts';
import { CliError } from '../errors.ts';
import { choiceOption, timeOption } from '../options.ts';
import { analyseStore, checkRange, configFromFlags, openExistingStore } from './drift.ts';
import { loadValidation } from './performance.ts';

const ANOMALY_HISTORY_MS = 29 * 86_400_000;

interface ReportFlags {
  db: string;
  out: string;
  from?: number;
  to?: number;
  window: WindowSize;
  anomalyWindow: WindowSize;
  modelDir?: string;
  model?: string;
  modelsDir: string;
  referenceFrom?: number;
  referenceTo?: number;
  methods?: string;
  threshold?: string;
  vote?: Vote;
  title?: string;
}

function outputFormat(out: string): 'html' | 'json' {
  const ext = path.extname(out).toLowerCase();
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.json') return 'json';
  throw new CliError(`--out must end in .html or .json (the format follows the extension), got "${out}"`);
}

async function runReport(flags: ReportFlags): Promise<void> {
  const format = outputFormat(flags.out);
  checkRange(flags.from, flags.to, '--from/--to');
  checkRange(flags.referenceFrom, flags.referenceTo, '--reference-from/--reference-to');
  const config = await configFromFlags(flags);
  const store = await openExistingStore(flags.db);
  let report: Report;
  try {
    const { analysis, model } = await analyseStore(store, flags, config);
    const bounds = store.timeBounds();
    // Four weeks before the period feed the anomaly baselines (same hour and weekday of previous weeks).
    const history = flags.from === undefined ? undefined : flags.from - ANOMALY_HISTORY_MS;
    const operational = store.readOperational({ from: history, to: flags.to });
    const anomalies = operational.count
      ? detectAnomalies(
          operational,
          { window: flags.anomalyWindow },
          { from: flags.from ?? bounds?.from, to: flags.to ?? (bounds ? bounds.to + 1 : undefined) },
        )
      : null;
    report = {
      title: flags.title ?? `Vigie drift report — ${model.name} ${model.version}`,
      generatedAt: Date.now(),
      source: path.basename(flags.db),
      period: { from: flags.from ?? analysis.current.from, to: flags.to ?? analysis.current.to },
      drift: analysis,
      anomalies,
      model: analysis.reference.source === 'model-package' ? modelInfo(model) : null,
      performance: await reportPerformance(store, flags.from, flags.to, flags.modelsDir),
    };
  } finally {
    store.close();
  }
  const body = format === 'html' ? renderReportHtml(report) : renderReportJson(report);
  const temporary = `${flags.out}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, body, 'utf8');
    await rename(temporary, flags.out);
  } catch (error) {
    throw new CliError(
      `cannot write ${flags.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const drifted = report.drift.driftedFields.length;
  const findings = report.anomalies?.findings.filter((f) => f.severity !== 'info').length ?? 0;
  process.stderr.write(
    `wrote ${flags.out}: ${drifted} drifted field${drifted === 1 ? '' : 's'}, data-set drift ${report.drift.datasetDrift ? 'yes' : 'no'}, ${findings} operational finding${findings === 1 ? '' : 's'} (warning or critical)\n`,
  );
}

/** The period's performance for the report; null when the store has no champion answers there. */
async function reportPerformance(store: Store, from: number | undefined, to: number | undefined, modelsDir: string) {
  try {
    return storedPerformance(new OutcomeTable(store.db), { from, to, validation: await loadValidation(modelsDir) });
  } catch (error) {
    if (error instanceof PerformanceInputError) return null;
    throw error;
  }
}

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'Write a drift and operations report of stored logs: self-contained HTML, or JSON with the same content',
    )
    .requiredOption('--db <file>', 'log store (SQLite) to analyse')
    .requiredOption('--out <file>', 'report file: .html (self-contained, printable) or .json')
    .option('--from <time>', 'first record time, inclusive (ISO 8601, default: the first stored)', timeOption)
    .option('--to <time>', 'end time, exclusive (default: after the last stored)', timeOption)
    .option(
      '--window <size>',
      `drift time series window (${WINDOW_SIZES.join(', ')})`,
      choiceOption(WINDOW_SIZES),
      'day',
    )
    .option(
      '--anomaly-window <size>',
      `operational anomaly window (${WINDOW_SIZES.join(', ')})`,
      choiceOption(WINDOW_SIZES),
      'hour',
    )
    .option('--model-dir <dir>', 'model package directory whose reference to use')
    .option('--model <ref>', 'registered model alias or version (default champion)')
    .option('--models-dir <dir>', 'folder holding registry.json and the packages', 'models')
    .option(
      '--reference-from <time>',
      'compare with the stored records from this time instead of the model reference',
      timeOption,
    )
    .option('--reference-to <time>', 'end (exclusive) of the reference period', timeOption)
    .option('--methods <list>', 'drift methods: psi, ks, wasserstein, chi2, jensen_shannon (default all)')
    .option('--threshold <list>', 'thresholds as METHOD=VALUE pairs, e.g. psi=0.2,ks=0.01')
    .option(
      '--vote <rule>',
      'how a field is judged: auto (one test per field by type and size: KS or chi-square up to 1000 reference values, else Wasserstein or Jensen-Shannon), or a vote of every method: majority, any, all (default auto)',
      choiceOption(VOTES),
    )
    .option('--title <text>', 'report title')
    .action(async (flags: ReportFlags) => runReport(flags));
}
