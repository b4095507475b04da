import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import {
  createEngine,
  EngineLoadError,
  formatOf,
  scoreStream,
  type InputFormat,
  type ScoringEngine,
} from '../../core/engine/index.ts';
import { CSV_HEADER, formatScoredLine, readOfflineInputThreaded } from '../../core/batch/index.ts';
import { CliError } from '../errors.ts';
import { choiceOption, integerOption } from '../options.ts';

type OutputFormat = 'jsonl' | 'csv';

interface ScoreFlags {
  model: string;
  fallback?: string;
  modelsDir: string;
  out?: string;
  format: OutputFormat;
  inputFormat?: InputFormat;
  batchSize: number;
  workers?: number;
  progress: boolean;
}

async function openOut(file: string): Promise<Writable> {
  try {
    const handle = await open(file, 'w');
    return createWriteStream(file, { fd: handle });
  } catch (error) {
    throw new CliError(`cannot write --out ${file}: ${(error as Error).message}`);
  }
}

async function checkInput(file: string, flags: ScoreFlags): Promise<{ format: InputFormat; size: number }> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new CliError(`input ${file} is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`input file ${file} does not exist or cannot be read`);
  }
  const format = flags.inputFormat ?? formatOf(file);
  if (!format) throw new CliError(`cannot tell the format of ${file} from its name: use --input-format csv|jsonl`);
  return { format, size };
}

async function loadEngine(flags: ScoreFlags): Promise<ScoringEngine> {
  try {
    return await createEngine({
      modelsDir: flags.modelsDir,
      champion: flags.model,
      // Offline scoring answers with the model asked for; a fallback is used only when named.
      fallback: flags.fallback ?? null,
      workers: flags.workers,
      // The CLI's thread serves nobody else: a lone applicant is scored on it, without a worker hand-off (decision 1613).
      loneApplicantsInline: true,
    });
  } catch (error) {
    if (error instanceof EngineLoadError || error instanceof RangeError) {
      throw new CliError(`cannot load model "${flags.model}": ${error.message}`);
    }
    throw error;
  }
}

function progressBar(enabled: boolean, total: number) {
  if (!enabled || !process.stderr.isTTY) return null;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'scoring [{bar}] {percentage}% | {rows} rows | {errors} invalid | {rate} rows/s',
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(Math.max(total, 1), 0, { rows: 0, errors: 0, rate: 0 });
  return bar;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function runScore(file: string, flags: ScoreFlags): Promise<void> {
  const { format, size } = await checkInput(file, flags);
  const engine = await loadEngine(flags);
  const controller = new AbortController();
  const stop = () => controller.abort(new CliError('scoring interrupted'));
  process.once('SIGINT', stop);
  const out = flags.out ? await openOut(flags.out) : process.stdout;
  const output: { error: NodeJS.ErrnoException | null } = { error: null };
  const onWriteError = (error: NodeJS.ErrnoException) => {
    output.error ??= error;
    controller.abort(error);
  };
  out.on('error', onWriteError);
  const started = performance.now();
  // Parsing runs on its own thread, beside scoring (it was most of the main thread's time).
  const reader = readOfflineInputThreaded(file, format, engine.schema);
  const lines: number[] = [];
  let lineAt = 0;
  async function* values() {
    for await (const row of reader.rows) {
      lines.push(row.line);
      yield row.value;
    }
  }
  const bar = progressBar(flags.progress, size);
  let rows = 0;
  let errors = 0;
  try {
    if (flags.format === 'csv') await write(out, CSV_HEADER);
    const stream = scoreStream(engine, values(), {
      batchSize: flags.batchSize,
      signal: controller.signal,
      onProgress: (progress) => {
        const seconds = (performance.now() - started) / 1000;
        bar?.update(reader.bytesRead(), { ...progress, rate: Math.round(progress.rows / Math.max(seconds, 1e-3)) });
      },
    });
    for await (const outcome of stream) {
      const line = lines[lineAt++] ?? 0;
      // Line numbers are consumed in order; drop them so memory stays bounded.
      if (lineAt > 4096) {
        lines.splice(0, lineAt);
        lineAt = 0;
      }
      rows += 1;
      if (!outcome.ok) errors += 1;
      await write(out, formatScoredLine(outcome, { line, row: rows }, flags.format));
    }
  } catch (error) {
    // A reader that went away (`vigie score … | head`) is not an error.
    if (output.error?.code === 'EPIPE') return;
    if (output.error) throw new CliError(`cannot write ${flags.out ?? 'stdout'}: ${output.error.message}`);
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  } finally {
    bar?.stop();
    process.removeListener('SIGINT', stop);
    out.removeListener('error', onWriteError);
    await engine.close();
    if (out !== process.stdout) {
      out.end();
      await once(out, 'finish');
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const ignored = reader.ignoredColumns();
  if (ignored.length > 0) process.stderr.write(`ignored columns that are not schema fields: ${ignored.join(', ')}\n`);
  process.stderr.write(
    `scored ${rows - errors} of ${rows} rows (${errors} invalid) in ${seconds.toFixed(2)} s` +
      `${flags.out ? ` to ${flags.out}` : ''}\n`,
  );
}

export function register(program: Command): void {
  program
    .command('score')
    .description('Score a CSV or JSONL file of applicants offline, one output line per input row, in order.')
    .argument('<file>', 'CSV with contract columns, or JSONL of applicants / {"input": …} records (.gz accepted)')
    .option('-m, --model <ref>', 'alias (champion, challenger, fallback), version, or package directory', 'champion')
    .option('--fallback <ref>', 'model answering when the scored model fails (default: none, the conservative rule)')
    .option('--models-dir <dir>', 'folder holding registry.json and the packages', 'models')
    .option('-o, --out <file>', 'write results here instead of stdout')
    .addOption(
      new Option('--format <format>', 'output format: jsonl or csv')
        .default('jsonl')
        .argParser(choiceOption(['jsonl', 'csv'] as const)),
    )
    .addOption(
      new Option('--input-format <format>', 'input format when the file name does not say (csv, jsonl)').argParser(
        choiceOption(['csv', 'jsonl'] as const),
      ),
    )
    .option('--batch-size <rows>', 'rows per model run', integerOption(1, 65_536), 1024)
    .option('--workers <n>', 'inference worker threads (default: available cores)', integerOption(1, 256))
    .option('--no-progress', 'no progress bar, even on a terminal')
    .action(async (file: string, flags: ScoreFlags) => runScore(file, flags));
}
