/**
 * `vigie replay`: scores the stored requests of a period with a candidate model and compares with what production
 * answered (or with another model), or reads the shadow answers production logged (`--model shadow`).
 */
import { writeFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { EngineLoadError } from '../../core/engine/index.ts';
import { RegistryError } from '../../core/registry/index.ts';
import { fromShadowLogs, renderReplayHtml, replay, type ReplayReport } from '../../core/replay/index.ts';
import { CliError, EXIT } from '../errors.ts';
import { integerOption, numberOption, timeOption } from '../options.ts';
import { benchGroup } from './bench.ts';
import { checkRange, openExistingStore } from './drift.ts';

interface ReplayFlags {
  db?: string;
  from?: number;
  to?: number;
  model?: string;
  baseline: string;
  modelsDir: string;
  workers?: number;
  batchSize: number;
  json?: boolean;
  html?: string;
  failOnFlipRate?: number;
  progress: boolean;
}

const pct = (share: number) => `${(share * 100).toFixed(2)}%`;
const ms = (value: number | null) => (value === null ? '–' : `${value.toFixed(3)} ms`);

export function replayText(report: ReplayReport): string {
  const f = report.flips;
  const lines = [
    `${report.kind === 'shadow' ? 'shadow answers' : `candidate ${report.candidate.ref}`} (${report.candidate.models.join(', ') || 'none'}) vs ${report.baseline.ref} (${report.baseline.models.join(', ')})`,
    `requests ${report.requests}, compared ${report.compared}, candidate errors ${report.candidateErrors}`,
    '',
    `                     candidate approves   candidate refuses`,
    `baseline approves    ${String(f.approveApprove).padStart(18)}   ${`${f.approveRefuse} (${pct(f.rates.approveRefuse)})`.padStart(17)}`,
    `baseline refuses     ${`${f.refuseApprove} (${pct(f.rates.refuseApprove)})`.padStart(18)}   ${String(f.refuseRefuse).padStart(17)}`,
    '',
    `Δp: mean ${report.delta.mean.toExponential(2)}, p95 |Δp| ${report.delta.p95Abs.toFixed(4)}, p99 |Δp| ${report.delta.p99Abs.toFixed(4)}, max |Δp| ${report.delta.maxAbs.toExponential(2)}`,
    `approval: ${pct(report.approval.baseline)} -> ${pct(report.approval.candidate)} (change 95% CI ${pct(report.approval.changeCi[0])} to ${pct(report.approval.changeCi[1])})`,
    '',
    'segment                          requests  baseline  candidate  change   flips',
    ...report.segments.map(
      (s) =>
        `${`${s.field}=${s.value}`.padEnd(32)} ${String(s.count).padStart(8)}  ${pct(s.baselineApproval).padStart(8)}  ${pct(s.candidateApproval).padStart(9)}  ${pct(s.change).padStart(7)}  ${String(s.flips).padStart(6)}`,
    ),
  ];
  if (report.concentration.length > 0) {
    lines.push('', 'where flips concentrate:');
    for (const c of report.concentration) lines.push(`  ${c.field} (${c.measure} ${c.score.toFixed(3)}): ${c.detail}`);
  }
  lines.push('', 'latency:');
  for (const l of report.latency) {
    const rate = l.rowsPerSecond === null ? '' : `, ${Math.round(l.rowsPerSecond)} rows/s in replay`;
    lines.push(`  ${l.who.padEnd(9)} p50 ${ms(l.p50Ms)}, p99 ${ms(l.p99Ms)} (${l.samples} samples${rate})`);
  }
  for (const a of report.arms) {
    lines.push(`arm ${a.arm}: ${a.requests} requests, approval ${pct(a.approval)}, degraded ${pct(a.degradedRate)}`);
  }
  lines.push('', `verdict: ${report.verdict.level}`, ...report.verdict.reasons.map((r) => `  - ${r}`), '');
  return lines.join('\n');
}

function progressBar(enabled: boolean) {
  if (!enabled || !process.stderr.isTTY) return null;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'replaying [{bar}] {percentage}% | {value}/{total} requests',
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(1, 0);
  return bar;
}

async function run(flags: ReplayFlags): Promise<void> {
  if (flags.db === undefined) throw new CliError('--db is required: the log store to replay (see vigie ingest)');
  if (flags.model === undefined)
    throw new CliError('--model is required: the candidate (alias, version or package directory), or shadow');
  checkRange(flags.from, flags.to, '--from/--to');
  if (flags.model === 'shadow' && flags.baseline !== 'logged')
    throw new CliError('--model shadow compares the logged shadow answers with the logged ones: leave out --baseline');
  const store = await openExistingStore(flags.db);
  const controller = new AbortController();
  const stop = () => controller.abort(new CliError('replay interrupted'));
  process.once('SIGINT', stop);
  const bar = progressBar(flags.progress);
  const onProgress = ({ rows, total }: { rows: number; total: number }) => {
    bar?.setTotal(total);
    bar?.update(rows);
  };
  let report: ReplayReport;
  try {
    const filter = { from: flags.from, to: flags.to };
    if (store.countScored(filter) === 0) throw new CliError('no scored records in the selected period of the database');
    if (flags.model === 'shadow') {
      report = fromShadowLogs({
        source: store,
        filter,
        batchSize: flags.batchSize,
        signal: controller.signal,
        onProgress,
      });
      if (report.candidate.models.length === 0)
        throw new CliError('no record of the period holds a shadow answer (was VIGIE_SHADOW_MODEL set?)');
    } else {
      report = await replay({
        source: store,
        filter,
        modelsDir: flags.modelsDir,
        candidate: flags.model,
        baseline: flags.baseline,
        batchSize: flags.batchSize,
        workers: flags.workers,
        signal: controller.signal,
        onProgress,
      });
    }
  } catch (error) {
    if (error instanceof EngineLoadError || error instanceof RegistryError)
      throw new CliError(`cannot load model: ${error.message}`);
    if (controller.signal.aborted) throw new CliError('replay interrupted');
    throw error;
  } finally {
    bar?.stop();
    process.removeListener('SIGINT', stop);
    store.close();
  }
  if (flags.html !== undefined) {
    try {
      await writeFile(flags.html, renderReplayHtml(report));
    } catch (error) {
      throw new CliError(`cannot write --html ${flags.html}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : replayText(report));
  if (flags.failOnFlipRate !== undefined && report.flips.rates.flips > flags.failOnFlipRate) {
    process.stderr.write(
      `flip rate ${pct(report.flips.rates.flips)} is above --fail-on-flip-rate ${pct(flags.failOnFlipRate)}\n`,
    );
    process.exitCode = EXIT.gate;
  }
}

export function register(program: Command): void {
  registerBench(program);
  program
    .command('replay')
    .description(
      'Replay stored production requests against a candidate model and compare its decisions with the logged ones',
    )
    .option('--db <file>', 'log store (SQLite) holding the production records')
    .option('--from <time>', 'first record time, inclusive (ISO 8601, default: the first stored)', timeOption)
    .option('--to <time>', 'end time, exclusive (default: after the last stored)', timeOption)
    .option('-m, --model <ref>', 'candidate: alias (challenger, fallback…), version or package directory; or shadow')
    .option('--baseline <ref>', 'what the candidate is compared with: logged, or a model', 'logged')
    .option('--models-dir <dir>', 'folder holding registry.json and the packages', 'models')
    .option('--workers <n>', 'inference worker threads per model (default: available cores)', integerOption(1, 256))
    .option('--batch-size <rows>', 'requests per model run', integerOption(1, 262_144), 4096)
    .option('--json', 'print the report as JSON on stdout')
    .option('--html <file>', 'also write the report as a self-contained HTML page')
    .option(
      '--fail-on-flip-rate <share>',
      'exit with code 1 when the share of flipped decisions is above this (0 to 1, e.g. 0.02)',
      numberOption(0, 1),
    )
    .option('--no-progress', 'no progress bar, even on a terminal')
    .action(async (flags: ReplayFlags) => run(flags));
}

/** `vigie bench replay` and `vigie bench shadow` (bench/challenger.ts), loaded only when asked for. */
export function registerBench(program: Command): void {
  const bench = benchGroup(program);
  bench
    .command('replay')
    .description('Replay a store of N stored records (built when needed) against a candidate: rows/s and peak RSS.')
    .option('--rows <n>', 'stored scored records', integerOption(1, 100_000_000), 1_000_000)
    .option('-m, --model <ref>', 'candidate', 'challenger')
    .option('--models-dir <dir>', 'folder holding registry.json and the packages', 'models')
    .option('--workers <n>', 'inference worker threads (default: available cores)', integerOption(1, 256))
    .option('--batch-size <rows>', 'requests per model run', integerOption(1, 262_144))
    .option('--db <file>', 'keep the benchmark store here (reused when it holds enough records)')
    .action(
      async (flags: {
        rows: number;
        model: string;
        modelsDir: string;
        workers?: number;
        batchSize?: number;
        db?: string;
      }) => {
        const { runReplayBench } = await import('../../bench/challenger.ts');
        const text = await runReplayBench(
          {
            rows: flags.rows,
            candidate: flags.model,
            modelsDir: flags.modelsDir,
            workers: flags.workers,
            batchSize: flags.batchSize,
            db: flags.db,
          },
          (line) => process.stderr.write(`${line}\n`),
        );
        process.stdout.write(text);
      },
    );
  bench
    .command('shadow')
    .description('Run vigie bench api with shadow mode off, then on: p99 at a fixed rate and peak req/s of both.')
    .option('-m, --model <ref>', 'shadow model', 'challenger')
    .option('--duration <seconds>', 'seconds of each run (default 20)', integerOption(1, 3600))
    .option('--rate <rps>', 'requests per second of the fixed-rate run (default 500)', integerOption(1, 1_000_000))
    .option('--workers <n>', 'engine worker threads of the API', integerOption(1, 256))
    .action(async (flags: { model: string; duration?: number; rate?: number; workers?: number }) => {
      const { runShadowBench } = await import('../../bench/challenger.ts');
      process.stdout.write(await runShadowBench({ shadowModel: flags.model, ...flags }));
    });
}
