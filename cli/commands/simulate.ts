import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { compileInputSchema, LOG_FILE_PATTERN, type InputSchema } from '../../core/contract/index.ts';
import { createEngine, EngineLoadError, type ScoringEngine } from '../../core/engine/index.ts';
import {
  assertSchemaSupported,
  DEFAULT_TRAFFIC_START,
  engineScoring,
  MANIFEST_FILE,
  OUTCOMES_FILE,
  parseStartDay,
  SCENARIO_NAMES,
  writeApplicantsCsv,
  writeTrafficFiles,
  type ApplicantStats,
  type ScenarioName,
  type TrafficManifest,
} from '../../core/simulate/index.ts';
import { CliError } from '../errors.ts';
import { choiceOption, integerOption } from '../options.ts';

/** Until model packages exist, the applicant schema of CONTRACT.md section 1 ships as a fixture. */
const DEFAULT_SCHEMA = fileURLToPath(new URL('../../tests/fixtures/input_schema.json', import.meta.url));
const MAX_ROWS = 1_000_000_000;

async function loadSchema(file: string): Promise<InputSchema> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read --schema ${file}: ${(error as Error).message}`);
  }
  try {
    const schema = compileInputSchema(JSON.parse(text));
    assertSchemaSupported(schema);
    return schema;
  } catch (error) {
    throw new CliError(`--schema ${file} is not a usable input schema: ${(error as Error).message}`);
  }
}

/** Opens the output file now, so an unwritable path is reported before any work is done. */
async function openOut(file: string) {
  try {
    const handle = await open(file, 'w');
    return createWriteStream(file, { fd: handle });
  } catch (error) {
    throw new CliError(`cannot write --out ${file}: ${(error as Error).message}`);
  }
}

const percent = (share: number) => `${(share * 100).toFixed(2)} %`;

function printApplicantStats(out: string, stats: ApplicantStats, seconds: number): void {
  const rate = Math.round(stats.rows / Math.max(seconds, 1e-6));
  const lines = [
    `wrote ${stats.rows.toLocaleString('en-US')} applicants to ${out} in ${seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} rows/s)`,
    `  default rate (TARGET = 1)      ${percent(stats.defaultRate)}`,
    `  EXT_SOURCE_1 missing           ${percent(stats.missingRate.EXT_SOURCE_1)}`,
    `  EXT_SOURCE_3 missing           ${percent(stats.missingRate.EXT_SOURCE_3)}`,
    `  OCCUPATION_TYPE missing        ${percent(stats.missingRate.OCCUPATION_TYPE)}`,
    `  DAYS_EMPLOYED = 365243         ${percent(stats.notEmployedRate)}`,
    `  median credit / income         ${stats.medianCreditToIncome.toFixed(2)}`,
    `  median credit / annuity        ${stats.medianCreditToAnnuity.toFixed(2)}`,
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** Progress on a terminal only: one line rewritten in place, at most a few times a second. */
function progressReporter(total: number, noun: string) {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (done: number) => {
    const now = Date.now();
    if (now - last < 250 && done < total) return;
    last = now;
    process.stderr.write(`\r${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} ${noun}`);
    if (done >= total) process.stderr.write('\n');
  };
}

interface ApplicantsFlags {
  rows: number;
  seed: number;
  out?: string;
  schema: string;
  json?: boolean;
}

async function runApplicants(flags: ApplicantsFlags): Promise<void> {
  if (!flags.out) throw new CliError('simulate applicants needs --out <file.csv>');
  const schema = await loadSchema(flags.schema);
  const out = await openOut(flags.out);
  const started = performance.now();
  const progress = progressReporter(flags.rows, 'applicants');
  let stats: ApplicantStats;
  try {
    stats = await writeApplicantsCsv({ rows: flags.rows, seed: flags.seed, schema, out, onProgress: progress });
  } catch (error) {
    throw new CliError(`cannot write --out ${flags.out}: ${(error as Error).message}`);
  }
  progress?.(flags.rows);
  const seconds = (performance.now() - started) / 1000;
  printApplicantStats(flags.out, stats, seconds);
  if (flags.json) process.stdout.write(`${JSON.stringify({ out: flags.out, seed: flags.seed, ...stats })}\n`);
}

/**
 * Creates the output folder and makes sure it holds no earlier simulation: log files from two runs would mix.
 * With `force`, the earlier log files and manifest are removed first.
 */
async function prepareOutDir(dir: string, force: boolean): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
    const earlier = (await readdir(dir)).filter(
      (name) => LOG_FILE_PATTERN.test(name) || name === MANIFEST_FILE || name === OUTCOMES_FILE,
    );
    if (earlier.length > 0 && !force) {
      throw new CliError(
        `--out ${dir} already holds ${earlier.length} log file(s) or a manifest; use an empty folder or pass --force to replace them`,
      );
    }
    for (const name of earlier) await rm(path.join(dir, name));
    const probe = await open(path.join(dir, MANIFEST_FILE), 'w');
    await probe.close();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot write --out ${dir}: ${(error as Error).message}`);
  }
}

function startOption(raw: string): string {
  try {
    parseStartDay(raw);
  } catch {
    throw new InvalidArgumentError(`expected a day such as ${DEFAULT_TRAFFIC_START}, got "${raw}"`);
  }
  return raw;
}

function printTrafficSummary(dir: string, manifest: TrafficManifest, seconds: number): void {
  const rate = Math.round(manifest.rows / Math.max(seconds, 1e-6));
  const count = (n: number) => n.toLocaleString('en-US');
  const gzipped = manifest.files.filter((file) => file.name.endsWith('.gz')).length;
  const lines = [
    `wrote ${count(manifest.rows)} log records to ${dir} in ${seconds.toFixed(1)} s (${count(rate)} records/s)`,
    `  period      ${manifest.start.slice(0, 10)} to ${manifest.end.slice(0, 10)} (${manifest.days} days), ${manifest.replicas} replica(s)`,
    `  statuses    ${Object.entries(manifest.statuses)
      .map(([status, n]) => `${status} ${count(n)}`)
      .join(', ')}`,
    `  files       ${manifest.files.length} (${gzipped} gzipped) and ${MANIFEST_FILE}`,
    `  outcomes    ${count(manifest.outcomes.records)} in ${manifest.outcomes.file} (import with vigie labels import)`,
    `  scenario    ${manifest.scenario}: ${manifest.description}`,
    ...(manifest.model ? [`  scores      ${manifest.probabilities}`] : []),
    ...manifest.injections.map(
      (injection) => `    ${injection.startTs} to ${injection.endTs}: ${injection.description}`,
    ),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** Worker threads pay off only on large runs: each one starts its own TypeScript loader (about a second). */
const WORKERS_FROM_ROWS = 500_000;

function workerCount(flags: TrafficFlags): number {
  if (flags.workers !== 'auto') return flags.workers;
  return flags.rows < WORKERS_FROM_ROWS ? 1 : Math.max(1, Math.min(availableParallelism(), flags.days, 8));
}

function workersOption(raw: string): number | 'auto' {
  if (raw === 'auto') return 'auto';
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 64) {
    throw new InvalidArgumentError(`expected "auto" or an integer from 1 to 64, got "${raw}"`);
  }
  return Number(raw);
}

interface TrafficFlags {
  days: number;
  rows: number;
  seed: number;
  scenario: ScenarioName;
  out?: string;
  start: string;
  replicas: number;
  gzip: boolean;
  schema: string;
  force?: boolean;
  json?: boolean;
  workers: number | 'auto';
  model?: string;
  fallback?: string;
  modelsDir: string;
}

/** An engine of one model alone (no fallback chain), so every answer is that model's own. */
async function loadTrafficEngine(modelsDir: string, flag: string, ref: string): Promise<ScoringEngine> {
  try {
    return await createEngine({ modelsDir, champion: ref, fallback: null });
  } catch (error) {
    if (error instanceof EngineLoadError || error instanceof RangeError) {
      throw new CliError(`cannot load ${flag} ${ref}: ${error.message}`);
    }
    throw error;
  }
}

/** Without an explicit --schema, traffic scored by a model is generated with that model's own input schema. */
function modelSchema(engine: ScoringEngine): InputSchema {
  try {
    assertSchemaSupported(engine.schema);
    return engine.schema;
  } catch (error) {
    throw new CliError(`the input schema of --model cannot be simulated: ${(error as Error).message}`);
  }
}

async function runTraffic(flags: TrafficFlags, command: Command): Promise<void> {
  if (!flags.out) throw new CliError('simulate traffic needs --out <dir>');
  const explicitSchema = command.getOptionValueSource('schema') !== 'default';
  if (flags.fallback !== undefined && flags.model === undefined) throw new CliError('--fallback needs --model');
  let schema = flags.model === undefined || explicitSchema ? await loadSchema(flags.schema) : null;
  const engine = flags.model === undefined ? null : await loadTrafficEngine(flags.modelsDir, '--model', flags.model);
  let fallback: ScoringEngine | null = null;
  try {
    if (flags.fallback !== undefined) fallback = await loadTrafficEngine(flags.modelsDir, '--fallback', flags.fallback);
    schema ??= modelSchema(engine!);
    await prepareOutDir(flags.out, flags.force ?? false);
    await writeTraffic(flags, flags.out, schema, engine && { engine, fallback });
  } finally {
    await Promise.all([engine?.close(), fallback?.close()]);
  }
}

async function writeTraffic(
  flags: TrafficFlags,
  out: string,
  schema: InputSchema,
  scorers: { engine: ScoringEngine; fallback: ScoringEngine | null } | null,
): Promise<void> {
  const started = performance.now();
  const progress = progressReporter(flags.rows, 'records');
  let manifest: TrafficManifest;
  try {
    manifest = await writeTrafficFiles({
      ...flags,
      dir: out,
      schema,
      // The engine lives in this thread, so scored traffic is written here (writeTrafficFiles ignores workers then).
      workers: scorers ? 1 : workerCount(flags),
      onProgress: progress,
      ...(scorers && {
        score: engineScoring(scorers.engine, scorers.fallback ? { fallback: scorers.fallback } : {}),
      }),
    });
  } catch (error) {
    throw new CliError(`cannot write --out ${out}: ${(error as Error).message}`);
  }
  progress?.(flags.rows);
  printTrafficSummary(out, manifest, (performance.now() - started) / 1000);
  if (flags.json) process.stdout.write(`${JSON.stringify({ dir: out, ...manifest })}\n`);
}

function schemaOption(): Option {
  return new Option('--schema <path>', 'input schema deciding the fields and categories').default(
    DEFAULT_SCHEMA,
    'tests/fixtures/input_schema.json',
  );
}

export function register(program: Command): void {
  const simulate = program
    .command('simulate')
    .description('Generate synthetic data: applicants with TARGET (for training) or production traffic logs.');

  simulate
    .command('applicants')
    .description('Write simulated Home Credit applicants with a TARGET column to a CSV file (seeded, deterministic).')
    .option('--rows <n>', 'number of applicants', integerOption(1, MAX_ROWS), 100_000)
    .option('--seed <s>', 'random seed: the same seed gives a byte-identical file', integerOption(0), 1)
    .option('--out <file>', 'CSV file to write (required)')
    .addOption(schemaOption())
    .option('--json', 'also print the summary statistics as JSON on stdout')
    .action(runApplicants);

  simulate
    .command('traffic')
    .description(
      'Write the production log files the scoring API would have written over a period, with a traffic rhythm and a scenario.',
    )
    .option('--days <d>', 'number of UTC days', integerOption(1, 3660), 7)
    .option('--rows <n>', 'requests over the whole period, all replicas together', integerOption(1, MAX_ROWS), 100_000)
    .option('--seed <s>', 'random seed: the same seed gives byte-identical files', integerOption(0), 1)
    .option('--scenario <name>', `one of ${SCENARIO_NAMES.join(', ')}`, choiceOption(SCENARIO_NAMES), 'stable')
    .option('--out <dir>', 'folder for the log files and manifest.json (required)')
    .option('--start <day>', 'first UTC day of the period', startOption, DEFAULT_TRAFFIC_START)
    .option('--replicas <n>', 'API replicas writing logs (api-0, api-1, ...)', integerOption(1, 100), 2)
    .option('--gzip', 'gzip the files of closed days, as the API does (default)')
    .option('--no-gzip', 'leave every file uncompressed')
    .addOption(schemaOption())
    .option(
      '--workers <n>',
      'worker threads writing ranges of days in parallel (same files); auto: one per CPU core, up to 8, from 500000 rows',
      workersOption,
      1,
    )
    .option(
      '--model <ref>',
      'score the answered requests with this model (registry alias, version or package folder) instead of the stand-in function; writes in one thread',
    )
    .option(
      '--fallback <ref>',
      'with --model: score the answers the scenario sends to the fallback with this model, keeping them degraded (else --model answers them)',
    )
    .option('--models-dir <dir>', 'folder holding registry.json and the packages (with --model)', 'models')
    .option('--force', 'replace the log files and manifest of an earlier simulation in --out')
    .option('--json', 'also print the manifest as JSON on stdout')
    .action(runTraffic);
}
