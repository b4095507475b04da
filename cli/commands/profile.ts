import { writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { ProfileRunTable } from '../../db/index.ts';
import type { GraphOptimizationLevel } from '../../core/engine/index.ts';
import {
  buildOptimisationReport,
  DEFAULT_PRICES,
  renderOptimisationHtml,
  runProfile,
  type ProfileResult,
} from '../../core/profiling/index.ts';
import { RegistryError } from '../../core/registry/index.ts';
import { CliError } from '../errors.ts';
import { integerOption, numberOption } from '../options.ts';
import { openStoreForWriting } from './ingest.ts';

interface ProfileFlags {
  models: string[];
  providers: string[];
  batchSizes: number[];
  workers: number[];
  threads?: number;
  graphOpt: GraphOptimizationLevel[];
  durationS: number;
  modelsDir: string;
  json?: boolean;
  report?: string;
  db?: string;
  priceCoreHour: number;
  priceGpuHour: number;
  currency: string;
}

const LEVELS: readonly GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];

function listOf<T>(parse: (part: string) => T) {
  return (raw: string): T[] => {
    const parts = raw
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    if (parts.length === 0) throw new InvalidArgumentError('expected a comma-separated list, got nothing');
    return [...new Set(parts.map(parse))];
  };
}

const names = listOf((part) => part);
const providers = listOf((part) => part.toLowerCase());
const levels = listOf((part) => {
  if (!(LEVELS as readonly string[]).includes(part))
    throw new InvalidArgumentError(`expected levels among ${LEVELS.join(', ')}, got "${part}"`);
  return part as GraphOptimizationLevel;
});

function reportFormat(file: string): 'html' | 'json' {
  if (/\.html?$/i.test(file)) return 'html';
  if (/\.json$/i.test(file)) return 'json';
  throw new CliError(`--report ${file}: the file name must end in .html or .json (that picks the format)`);
}

function table(result: ProfileResult): string {
  const head = ['MODEL', 'PROVIDER', 'WORKERS', 'GRAPH', 'BATCH', 'ROWS/S', 'P50_MS', 'P99_MS', 'PARITY', 'STATUS'];
  const rows = result.rows.map((row) => [
    `${row.ref} (v${row.version || '?'})`,
    row.provider,
    `${row.workers}x${row.intra_op_threads}`,
    row.graph_optimization,
    String(row.batch_size),
    row.rows_per_s === null ? '-' : String(row.rows_per_s),
    row.p50_ms === null ? '-' : String(row.p50_ms),
    row.p99_ms === null ? '-' : String(row.p99_ms),
    row.parity_max_abs_diff === null ? '-' : row.parity_max_abs_diff.toExponential(1),
    row.status,
  ]);
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  const m = result.machine;
  return [
    `${m.cpu_model}, ${m.cores} cores, load average ${m.load_average.join(' ')}, onnxruntime-node ${m.onnxruntime}`,
    ...all.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')),
  ].join('\n');
}

async function run(flags: ProfileFlags): Promise<void> {
  const format = flags.report ? reportFormat(flags.report) : null;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  let result: ProfileResult;
  try {
    result = await runProfile(
      {
        modelsDir: flags.modelsDir,
        models: flags.models,
        providers: flags.providers,
        batchSizes: flags.batchSizes,
        workers: flags.workers,
        intraOpThreads: flags.threads,
        graphOptimizationLevels: flags.graphOpt,
        durationS: flags.durationS,
        prices: { coreHour: flags.priceCoreHour, gpuHour: flags.priceGpuHour, currency: flags.currency },
      },
      {
        signal: controller.signal,
        onProgress: (p) => process.stderr.write(`[${Math.round(p.fraction * 100)} %] ${p.message}\n`),
      },
    );
  } catch (error) {
    if (error instanceof RegistryError) throw new CliError(error.message);
    if ((error as Error).name === 'AbortError') throw new CliError('profiling cancelled: nothing was saved');
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
  }
  const store = flags.db ? openStoreForWriting(flags.db) : null;
  let apiSplit: ReturnType<ProfileRunTable['apiSplitByHour']> = [];
  if (store) {
    const runs = new ProfileRunTable(store.db);
    const saved = runs.save(randomUUID(), result);
    apiSplit = runs.apiSplitByHour({});
    store.close();
    process.stderr.write(`saved profiling run ${saved.id} in ${flags.db}\n`);
  }
  if (flags.report && format) {
    const report = buildOptimisationReport(result, apiSplit);
    const content = format === 'html' ? renderOptimisationHtml(report) : `${JSON.stringify(report, null, 2)}\n`;
    try {
      await writeFile(flags.report, content);
    } catch (error) {
      throw new CliError(`--report ${flags.report}: cannot write it (${(error as NodeJS.ErrnoException).code})`);
    }
    process.stderr.write(`optimisation report written to ${flags.report}\n`);
  }
  process.stdout.write(`${flags.json ? JSON.stringify(result, null, 2) : table(result)}\n`);
}

export function register(program: Command): void {
  program
    .command('profile')
    .description(
      'Profile model variants × execution providers × batch sizes × workers: rows/s, latency, parity, cost; optionally write the optimisation report.',
    )
    .option('--models <list>', 'aliases, versions or package folders', names, ['champion', 'challenger'])
    .option('--providers <list>', 'execution providers (cpu, webgpu, cuda, dml, coreml…)', providers, ['cpu'])
    .option('--batch-sizes <list>', 'applicants per call', listOf(integerOption(1, 65_536)), [1, 64, 4096])
    .option('--workers <list>', 'inference worker threads, one cell per value', listOf(integerOption(1, 256)), [1])
    .option(
      '--threads <n>',
      'ONNX Runtime intra-op threads per worker (default: cores / workers)',
      integerOption(1, 256),
    )
    .option('--graph-opt <list>', `graph optimisation levels (${LEVELS.join(', ')})`, levels, ['all'])
    .option('--duration-s <seconds>', 'seconds measured per batch size', numberOption(0.05, 600), 1)
    .option('--models-dir <dir>', 'folder holding registry.json and the packages', 'models')
    .option('--db <file>', 'also save the run in this store (the console lists it)')
    .option('--report <file>', 'write the optimisation report (.html or .json)')
    .option('--price-core-hour <price>', 'price of one CPU core for an hour', numberOption(0), DEFAULT_PRICES.coreHour)
    .option('--price-gpu-hour <price>', 'price of one GPU for an hour', numberOption(0), DEFAULT_PRICES.gpuHour)
    .option('--currency <code>', 'currency label of the prices', DEFAULT_PRICES.currency)
    .option('--json', 'print the run as JSON (one row per model, provider, workers, graph level and batch)')
    .action((flags: ProfileFlags) => run(flags))
    .exitOverride()
    .allowExcessArguments(false);
}
