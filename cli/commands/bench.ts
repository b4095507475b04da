import { Command } from 'commander';
import { formatEngineReport, runEngineBench } from '../../bench/engine.ts';
import { defaultPython } from '../../bench/onnxruntime-peer.ts';
import { EngineLoadError } from '../../core/engine/index.ts';
import { RegistryError } from '../../core/registry/index.ts';
import { CliError } from '../errors.ts';
import { integerOption, numberOption } from '../options.ts';

interface EngineFlags {
  json?: boolean;
  modelsDir: string;
  durationS: number;
  workers?: number;
  batchSizes: number[];
  only?: string[];
  /** false with --no-peer. */
  peer: boolean;
  python?: string;
  rounds: number;
}

interface ApiFlags {
  json?: boolean;
  modelsDir: string;
  duration?: number;
  rate?: number;
  connections?: number;
  applicants?: number;
  workers?: number;
  rounds?: number;
}

function batchSizesOption(raw: string): number[] {
  const sizes = raw.split(',').map((part) => integerOption(1, 65_536)(part.trim()));
  return [...new Set(sizes)];
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function runEngine(flags: EngineFlags): Promise<void> {
  try {
    const report = await runEngineBench(
      {
        modelsDir: flags.modelsDir,
        durationS: flags.durationS,
        batchSizes: flags.batchSizes,
        workers: flags.workers,
        versions: flags.only,
        python: flags.peer ? (flags.python ?? defaultPython()) : null,
        rounds: flags.rounds,
      },
      (line) => process.stderr.write(`${line}\n`),
    );
    process.stdout.write(`${flags.json ? JSON.stringify(report, null, 2) : formatEngineReport(report)}\n`);
  } catch (error) {
    if (error instanceof EngineLoadError || error instanceof RegistryError) throw new CliError(error.message);
    throw error;
  }
}

/** The API benchmark lives with the server (bench/api.ts); loaded only when asked for, it needs Fastify and autocannon. */
async function runApi(flags: ApiFlags): Promise<void> {
  const bench = (await import('../../bench/api.ts')) as { run: (options: ApiFlags) => Promise<unknown> };
  await bench.run(flags);
}

/** The `bench` group; other shells may add targets to it with `benchGroup(program).command(…)`. */
export function benchGroup(program: Command): Command {
  return (
    program.commands.find((command) => command.name() === 'bench') ??
    program.command('bench').description('Measure and print performance figures (never pass/fail on time).')
  );
}

export function register(program: Command): void {
  const bench = benchGroup(program);
  bench
    .command('engine')
    .description(
      'Rows/s and latency of every registered model at batch sizes 1…4096, and single-applicant latency; ' +
        'raw onnxruntime (Python) beside the champion, with ratios.',
    )
    .option('--json', 'print one JSON report (includes champion.rows_per_s)')
    .option('--models-dir <dir>', 'folder holding registry.json and the packages', 'models')
    .option('--duration-s <seconds>', 'seconds per measurement', numberOption(0.1, 600), 2)
    .option('--batch-sizes <list>', 'comma-separated batch sizes', batchSizesOption, [1, 8, 64, 512, 4096])
    .option('--workers <n>', 'inference worker threads (default: available cores)', integerOption(1, 256))
    .option('--only <version>', 'only this registered version (repeatable)', collect)
    .option('--no-peer', 'skip raw onnxruntime (Python) on the champion')
    .option('--python <path>', 'Python with onnxruntime for the peer (default: .venv/bin/python, else python3)')
    .option('--rounds <n>', 'Vigie/peer rounds on the champion, alternating who goes first', integerOption(1, 20), 1)
    .action((flags: EngineFlags) => runEngine(flags));
  bench
    .command('api')
    .description(
      'Drive POST /v1/score of a local API process: fixed-rate rounds from an open-loop generator corrected for ' +
        'coordinated omission, then a peak run (autocannon).',
    )
    .option('--json', 'print one JSON report')
    .option('--models-dir <dir>', 'models folder the API serves', 'models')
    .option('--duration <seconds>', 'seconds of each run (default 20)', integerOption(1, 3600))
    .option('--rate <rps>', 'requests per second of the fixed-rate rounds (default 500)', integerOption(1, 1_000_000))
    .option('--connections <n>', 'connections of the peak run (default 64)', integerOption(1, 10_000))
    .option(
      '--applicants <n>',
      'distinct simulated applicants cycled through (default 2000)',
      integerOption(1, 1_000_000),
    )
    .option('--workers <n>', 'engine worker threads of the API', integerOption(1, 256))
    .option('--rounds <n>', 'fixed-rate rounds (default 3)', integerOption(1, 100))
    .action((flags: ApiFlags) => runApi(flags));
  for (const command of bench.commands) command.exitOverride().allowExcessArguments(false);
}
