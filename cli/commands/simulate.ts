import { createWriteStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { compileInputSchema, type InputSchema } from '../../core/contract/index.ts';
import { assertSchemaSupported, writeApplicantsCsv, type ApplicantStats } from '../../core/simulate/index.ts';
import { CliError } from '../errors.ts';
import { integerOption } from '../options.ts';

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
    .addOption(
      new Option('--schema <path>', 'input schema deciding the columns and categories').default(
        DEFAULT_SCHEMA,
        'tests/fixtures/input_schema.json',
      ),
    )
    .option('--json', 'also print the summary statistics as JSON on stdout')
    .action(runApplicants);
}
