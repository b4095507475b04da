/** `vigie performance`: realised and estimated model performance over time, with label coverage and fairness. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  PERFORMANCE_WINDOWS,
  PerformanceInputError,
  storedPerformance,
  validationMetrics,
  type PerformanceAnalysis,
  type PerformanceFigures,
  type PerformanceWindow,
  type ValidationMetrics,
} from '../../core/analysis/performance/index.ts';
import { resolveModel } from '../../core/registry/index.ts';
import { OutcomeTable } from '../../db/index.ts';
import { CliError } from '../errors.ts';
import { choiceOption, timeOption } from '../options.ts';
import { checkRange, openExistingStore } from './drift.ts';

/** The champion's (or `model`'s) validation metrics from its package; null when no package can be read. */
export async function loadValidation(modelsDir: string, model = 'champion'): Promise<ValidationMetrics | null> {
  try {
    const { dir, version } = await resolveModel(modelsDir, model);
    const metrics = JSON.parse(await readFile(`${dir}/metrics.json`, 'utf8')) as unknown;
    return validationMetrics(metrics, `${model} (version ${version})`);
  } catch {
    return null;
  }
}

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(3));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);

function row(label: string, fig: PerformanceFigures): string {
  const r = fig.realised;
  const e = fig.estimated;
  const band = e?.rocAucLower != null ? ` [${f3(e.rocAucLower)}, ${f3(e.rocAucUpper)}]` : '';
  return [
    label.padEnd(12),
    String(fig.count).padStart(8),
    pct(fig.coverage).padStart(7),
    f3(r?.rocAuc).padStart(7),
    `${f3(e?.rocAuc)}${band}`.padEnd(22),
    f3(r?.brier).padStart(6),
    f3(r?.ece).padStart(6),
    f3(r?.atThreshold.precision).padStart(6),
    f3(r?.atThreshold.recall).padStart(6),
    f3(r?.atThreshold.costPerApplicant ?? e?.atThreshold.costPerApplicant).padStart(6),
    (fig.medianLagDays === null ? '–' : fig.medianLagDays.toFixed(0)).padStart(4),
  ].join(' ');
}

export function performanceText(a: PerformanceAnalysis): string {
  const v = a.validation;
  const lines = [
    `period: ${new Date(a.from).toISOString()} to ${new Date(a.to).toISOString()}, windows of one ${a.window}`,
    `models: ${a.models.map((m) => `${m.name} v${m.version}`).join(', ') || '–'}`,
    v
      ? `validation (${v.model}): ROC AUC ${f3(v.rocAuc)}, Brier ${f3(v.brier)}, ECE ${f3(v.ece)}, precision ${f3(v.precision)}, recall ${f3(v.recall)}, cost/applicant ${f3(v.costPerApplicant)}`
      : 'validation: no model package metrics found (--models-dir)',
    a.baseline ? `baseline ROC AUC ${f3(a.baseline.rocAuc)} (${a.baseline.source})` : 'baseline: none',
    a.reference
      ? `CBPE calibrated on ${a.reference.labelled} outcomes of ${new Date(a.reference.from).toISOString().slice(0, 10)} to ${new Date(a.reference.to).toISOString().slice(0, 10)}${a.reference.calibrated ? '' : ' (too few: no estimates)'}`
      : '',
    `outcomes stored: ${a.outcomes.labels} (${a.outcomes.unmatchedByRequest} without a prediction, ${a.outcomes.conflicts} conflicts kept aside)`,
    '',
    `${'window'.padEnd(12)} ${'scored'.padStart(8)} ${'labels'.padStart(7)} ${'AUC'.padStart(7)} ${'est. AUC [band]'.padEnd(22)} ${'Brier'.padStart(6)} ${'ECE'.padStart(6)} ${'prec'.padStart(6)} ${'recall'.padStart(6)} ${'cost'.padStart(6)} ${'lag'.padStart(4)}`,
    ...a.windows.map((w) => row(new Date(w.start).toISOString().slice(0, a.window === 'hour' ? 13 : 10), w)),
    row('all', a.overall),
    '',
    'fairness over the period (approval ratio against the best-treated group; * below 0.8):',
    ...a.segments.flatMap((s) =>
      s.groups.map(
        (g) =>
          `  ${s.segment.padEnd(19)} ${g.group.padEnd(20)} n=${String(g.count).padStart(7)}  approval ${pct(g.approvalRate).padStart(6)}  ratio ${g.approvalRatio === null ? '–' : g.approvalRatio.toFixed(2)}${g.flagged ? '*' : ''}  AUC ${f3(g.realisedRocAuc)} est. ${f3(g.estimatedRocAuc)}`,
      ),
    ),
  ];
  return `${lines.filter((line, i) => line !== '' || i > 5).join('\n')}\n`;
}

interface PerformanceFlags {
  db: string;
  from?: number;
  to?: number;
  window: PerformanceWindow;
  referenceFrom?: number;
  referenceTo?: number;
  modelsDir: string;
  json?: boolean;
}

async function runPerformance(flags: PerformanceFlags): Promise<void> {
  checkRange(flags.from, flags.to, '--from/--to');
  checkRange(flags.referenceFrom, flags.referenceTo, '--reference-from/--reference-to');
  const store = await openExistingStore(flags.db);
  let analysis: PerformanceAnalysis;
  try {
    analysis = storedPerformance(new OutcomeTable(store.db), {
      from: flags.from,
      to: flags.to,
      window: flags.window,
      referenceFrom: flags.referenceFrom,
      referenceTo: flags.referenceTo,
      validation: await loadValidation(flags.modelsDir),
    });
  } catch (error) {
    if (error instanceof PerformanceInputError) throw new CliError(error.message);
    throw error;
  } finally {
    store.close();
  }
  process.stdout.write(flags.json ? `${JSON.stringify(analysis)}\n` : performanceText(analysis));
}

export function register(program: Command): void {
  program
    .command('performance')
    .description(
      'Model performance over time from the log store: realised ROC AUC, Brier, calibration, precision/recall and ' +
        'cost where outcomes are known, CBPE estimates where they are not, label coverage and lag, fairness per segment',
    )
    .requiredOption('--db <file>', 'log store (SQLite) with predictions and imported outcomes')
    .option('--from <time>', 'first request time, inclusive (ISO 8601; default: the first stored)', timeOption)
    .option('--to <time>', 'end time, exclusive (default: after the last stored)', timeOption)
    .option(
      '--window <size>',
      `window length: ${PERFORMANCE_WINDOWS.join(', ')}`,
      choiceOption(PERFORMANCE_WINDOWS),
      'day',
    )
    .option(
      '--reference-from <time>',
      'start of the period whose outcomes calibrate the estimates (default: the first stored day)',
      timeOption,
    )
    .option('--reference-to <time>', 'end of that period (default: 7 days after its start)', timeOption)
    .option('--models-dir <dir>', 'folder holding registry.json and the packages (validation metrics)', 'models')
    .option('--json', 'print the analysis as JSON on stdout')
    .action((flags: PerformanceFlags) => runPerformance(flags));
}
