import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import {
  analyseStoredPeriod,
  analyzeDriftInParallel,
  CsvError,
  driftConfig,
  DriftHelper,
  DriftInputError,
  driftToJson,
  readCsvFile,
  referenceFromColumns,
  WINDOW_SIZES,
  type CsvColumns,
  type DriftAnalysis,
  type DriftConfig,
  type FieldDrift,
  type StoredPeriodAnalysis,
  type Vote,
  VOTES,
  type WindowSize,
} from '../../core/analysis/index.ts';
import { loadModelPackage, PackageError, type ModelPackage } from '../../core/contract/index.ts';
import { RegistryError, resolveModel } from '../../core/registry/index.ts';
// The store (better-sqlite3) loads only when a command opens one: `vigie drift` on two CSV files never does.
import { StoreError } from '../../db/errors.ts';
import type { Store } from '../../db/index.ts';
import { CliError, EXIT } from '../errors.ts';
import { choiceOption, timeOption } from '../options.ts';

/** Turns the analysis layer's input errors into one-line CLI errors. */
export async function asCliErrors<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof DriftInputError ||
      error instanceof CsvError ||
      error instanceof PackageError ||
      error instanceof RegistryError ||
      error instanceof StoreError
    ) {
      throw new CliError(error.message);
    }
    throw error;
  }
}

export function listOption(raw: string): string[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new CliError(`expected a comma-separated list, got "${raw}"`);
  return items;
}

/** `psi=0.2,ks=0.01` → { psi: 0.2, ks: 0.01 }. */
export function parseThresholds(raw: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const match = /^\s*([a-z_0-9]+)\s*=\s*([^=\s]+)\s*$/.exec(part);
    const value = match ? Number(match[2]) : Number.NaN;
    if (!match || !Number.isFinite(value)) {
      throw new CliError(
        `--threshold expects METHOD=NUMBER pairs separated by commas (e.g. psi=0.2,ks=0.01), got "${part}"`,
      );
    }
    out[match[1]!] = value;
  }
  return out;
}

export interface AnalysisFlags {
  methods?: string;
  threshold?: string;
  vote?: Vote;
}

export function configFromFlags(flags: AnalysisFlags): Promise<DriftConfig> {
  return asCliErrors(() =>
    driftConfig({
      methods: flags.methods === undefined ? undefined : listOption(flags.methods),
      thresholds: flags.threshold === undefined ? undefined : parseThresholds(flags.threshold),
      vote: flags.vote,
    }),
  );
}

export function checkRange(from: number | undefined, to: number | undefined, what: string): void {
  if (from !== undefined && to !== undefined && from >= to) {
    throw new CliError(
      `${what}: the start (${new Date(from).toISOString()}) must be before the end (${new Date(to).toISOString()})`,
    );
  }
}

/** Opens an existing store read-only; a missing file is an error rather than a new empty store. */
export async function openExistingStore(file: string): Promise<Store> {
  if (!existsSync(file)) throw new CliError(`${file}: no such database (create it with vigie ingest)`);
  if (!statSync(file).isFile()) throw new CliError(`${file}: is not a database file`);
  const { openStore } = await import('../../db/index.ts');
  return asCliErrors(() => openStore(file, { readonly: true }));
}

export interface ModelFlags {
  modelDir?: string;
  model?: string;
  modelsDir: string;
}

export async function loadModel(flags: ModelFlags): Promise<ModelPackage> {
  return asCliErrors(async () => {
    const dir = flags.modelDir ?? (await resolveModel(flags.modelsDir, flags.model ?? 'champion')).dir;
    return loadModelPackage(dir);
  });
}

/** Both CSV files as columns, typed alike: numeric only when every non-empty cell of both files is a number. */
async function readCsvPair(
  referenceFile: string,
  currentFile: string,
  categorical: string[],
  helper: DriftHelper | null,
) {
  const kinds = new Map(categorical.map((name) => [name, 'category' as const]));
  const reference = await asCliErrors(() => readCsvFile(referenceFile, { kinds, helper }));
  const current = await asCliErrors(() => readCsvFile(currentFile, { kinds, required: reference.header, helper }));
  for (const name of categorical) {
    if (!reference.header.includes(name))
      throw new CliError(`--categorical names "${name}", which is not a column of ${referenceFile}`);
  }
  for (const name of current.header) {
    if (!reference.header.includes(name))
      throw new CliError(`${currentFile}: the column "${name}" is not in ${referenceFile}`);
  }
  for (const name of reference.header) {
    const inReference = reference.numbers.has(name);
    const inCurrent = current.numbers.has(name);
    if (inReference !== inCurrent) {
      // One side holds text: compare the column as categories on both sides.
      for (const columns of [reference, current]) toCategories(columns, name);
    }
  }
  return { reference, current };
}

function toCategories(columns: CsvColumns, name: string): void {
  const values = columns.numbers.get(name);
  if (!values) return;
  const labels: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    if (Number.isNaN(v)) {
      codes[i] = -1;
      return;
    }
    const label = String(v);
    let code = index.get(label);
    if (code === undefined) {
      code = labels.length;
      labels.push(label);
      index.set(label, code);
    }
    codes[i] = code;
  });
  columns.numbers.delete(name);
  columns.categories.set(name, { codes, labels });
}

function format(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '–';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e6 ? value.toFixed(4) : value.toExponential(2);
}

function describeField(field: FieldDrift): string {
  const parts = Object.entries(field.methods).map(([name, r]) => {
    const shown = r.pValue === null ? format(r.statistic) : `p=${format(r.pValue)}`;
    return `${name} ${shown}${r.drifted ? '*' : ''}`;
  });
  const quality: string[] = [];
  if (Math.abs(field.quality.missingRateChange) >= 0.01) {
    quality.push(
      `missing ${(field.quality.referenceMissingRate * 100).toFixed(1)}% → ${(field.quality.currentMissingRate * 100).toFixed(1)}%`,
    );
  }
  if (field.quality.outOfRangeCount > 0) {
    quality.push(
      `${(field.quality.outOfRangeShare * 100).toFixed(2)}% ${field.kind === 'number' ? 'out of range' : 'unseen categories'}`,
    );
  }
  const verdict = field.drifted ? 'DRIFT' : 'ok';
  const note = field.note ? ` (${field.note})` : '';
  const decided = field.decidedBy.length === 1 ? `by ${field.decidedBy[0]}` : `vote of ${field.decidedBy.length}`;
  return `${field.name.padEnd(28)} ${verdict.padEnd(6)} ${decided.padEnd(17)} ${parts.join('  ')}${quality.length ? `  [${quality.join('; ')}]` : ''}${note}`;
}

export function driftText(analysis: DriftAnalysis | StoredPeriodAnalysis): string {
  const lines = [
    `reference: ${analysis.reference.label}, ${analysis.reference.rows.toLocaleString('en-US')} rows`,
    `current:   ${analysis.current.rows.toLocaleString('en-US')} ${'populations' in analysis ? 'scored records' : 'rows'}` +
      (analysis.current.from !== null
        ? ` from ${new Date(analysis.current.from).toISOString()} to ${new Date(analysis.current.to!).toISOString()}`
        : ''),
    ...('populations' in analysis
      ? [
          `data quality counts ${analysis.populations.quality.records.toLocaleString('en-US')} records (scored and invalid)`,
        ]
      : []),
    `verdict rule: ${analysis.config.vote === 'auto' ? 'auto (one test per field by type and reference size)' : `${analysis.config.vote} vote of every method`}`,
    '',
    ...analysis.fields.map(describeField),
  ];
  if (analysis.prediction) lines.push('', describeField(analysis.prediction));
  for (const part of 'predictionByServedBy' in analysis ? analysis.predictionByServedBy : []) {
    lines.push(describeField({ ...part.prediction, name: `  served by ${part.servedBy} (${part.records})` }));
  }
  lines.push(
    '',
    `drifted fields: ${analysis.driftedFields.length} of ${analysis.fields.length} (share ${analysis.driftShare.toFixed(2)}; data-set drift at >= ${analysis.config.datasetDriftShare})`,
    `data-set drift: ${analysis.datasetDrift ? 'YES' : 'no'}` +
      (analysis.prediction ? `; prediction drift: ${analysis.prediction.drifted ? 'YES' : 'no'}` : ''),
  );
  for (const w of analysis.windows) {
    const drifted = Object.entries(w.fields)
      .filter(([, f]) => f.drifted)
      .map(([name]) => name);
    lines.push(
      `${new Date(w.start).toISOString().slice(0, analysis.window === 'hour' ? 13 : 10)}  ${String(w.count).padStart(9)} records  share ${w.driftShare.toFixed(2)}${drifted.length ? `  ${drifted.join(', ')}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

interface DriftFlags extends AnalysisFlags, ModelFlags {
  reference?: string;
  current?: string;
  categorical?: string;
  db?: string;
  from?: number;
  to?: number;
  window?: WindowSize;
  referenceFrom?: number;
  referenceTo?: number;
  json?: boolean;
  failOnDrift?: boolean;
}

/** The model and the stored-period analysis (core/analysis/stored-period) of `--db` runs; `vigie report` uses it too. */
export async function analyseStore(
  store: Store,
  flags: ModelFlags & { from?: number; to?: number; referenceFrom?: number; referenceTo?: number; window?: WindowSize },
  config: DriftConfig,
  helper: DriftHelper | null = null,
): Promise<{ analysis: StoredPeriodAnalysis; model: ModelPackage }> {
  const model = await loadModel(flags);
  const referenceRange =
    flags.referenceFrom !== undefined || flags.referenceTo !== undefined
      ? { from: flags.referenceFrom, to: flags.referenceTo }
      : undefined;
  const analysis = await asCliErrors(() =>
    analyseStoredPeriod(store, null, {
      model,
      range: { from: flags.from, to: flags.to },
      ...(referenceRange ? { referenceRange } : {}),
      config,
      window: flags.window ?? null,
      helper,
    }),
  );
  if (analysis.current.rows === 0) throw new CliError('no scored records in the selected period of the database');
  return { analysis, model };
}

async function runDrift(flags: DriftFlags): Promise<void> {
  const csvMode = flags.reference !== undefined || flags.current !== undefined;
  if (csvMode && flags.db !== undefined)
    throw new CliError('use either --reference/--current (CSV files) or --db, not both');
  if (!csvMode && flags.db === undefined) throw new CliError('give --reference and --current CSV files, or --db');
  if (csvMode && (flags.reference === undefined || flags.current === undefined)) {
    throw new CliError('--reference and --current go together');
  }
  checkRange(flags.from, flags.to, '--from/--to');
  checkRange(flags.referenceFrom, flags.referenceTo, '--reference-from/--reference-to');
  const config = await configFromFlags(flags);
  let analysis: DriftAnalysis;
  if (csvMode) {
    for (const flag of ['from', 'to', 'window', 'referenceFrom', 'referenceTo', 'modelDir', 'model'] as const) {
      if (flags[flag] !== undefined)
        throw new CliError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --db`);
    }
    // The second core's worker loads while the reference is read, scans half of a large current file, then compares
    // half of the numeric fields.
    const helper = DriftHelper.start();
    try {
      const { reference, current } = await readCsvPair(
        flags.reference!,
        flags.current!,
        flags.categorical === undefined ? [] : listOption(flags.categorical),
        helper,
      );
      if (current.rows === 0) throw new CliError(`${flags.current}: no data rows`);
      if (reference.rows === 0) throw new CliError(`${flags.reference}: no data rows`);
      analysis = await analyzeDriftInParallel(
        {
          reference: referenceFromColumns({ ...reference, count: reference.rows }, flags.reference!, 'file'),
          current: { ...current, count: current.rows },
          config,
        },
        { helper, transfer: true },
      );
    } finally {
      helper?.close();
    }
  } else {
    if (flags.categorical !== undefined)
      throw new CliError('--categorical applies to CSV files; the schema types stored fields');
    // Without windows the statistics run on two cores; the store's reader thread and the helper load while the
    // model's reference is read.
    const helper = flags.window === undefined ? DriftHelper.start() : null;
    try {
      const store = await openExistingStore(flags.db!);
      try {
        // The whole file is read ahead only for a read of every record; a period reads only some of its chunks.
        store.warmColumnReaders({ readAhead: flags.from === undefined && flags.to === undefined });
        ({ analysis } = await analyseStore(store, flags, config, helper));
      } finally {
        store.close();
      }
    } finally {
      helper?.close();
    }
  }
  process.stdout.write(flags.json ? `${JSON.stringify(driftToJson(analysis))}\n` : driftText(analysis));
  const drifted = analysis.datasetDrift || analysis.driftedFields.length > 0 || analysis.prediction?.drifted === true;
  if (flags.failOnDrift && drifted) process.exitCode = EXIT.gate;
}

export function register(program: Command): void {
  program
    .command('drift')
    .description(
      'Compare current data with a reference: two CSV files, or stored logs with the model reference or an earlier period',
    )
    .option('--reference <file>', 'reference CSV file (.csv or .csv.gz, header row, empty cell = missing)')
    .option('--current <file>', 'current CSV file, same columns as --reference')
    .option('--categorical <columns>', 'comma-separated CSV columns to compare as categories even when numeric')
    .option('--db <file>', 'log store (SQLite) to read the current records from')
    .option(
      '--from <time>',
      'with --db: first record time, inclusive (ISO 8601, default: the first stored)',
      timeOption,
    )
    .option('--to <time>', 'with --db: end time, exclusive (default: after the last stored)', timeOption)
    .option(
      '--window <size>',
      `with --db: also compute each statistic per window (${WINDOW_SIZES.join(', ')})`,
      choiceOption(WINDOW_SIZES),
    )
    .option('--model-dir <dir>', 'with --db: model package directory whose reference profile and sample to use')
    .option('--model <ref>', 'with --db: registered model alias or version (default champion)')
    .option('--models-dir <dir>', 'folder holding registry.json and the packages', 'models')
    .option(
      '--reference-from <time>',
      'with --db: compare with the stored records from this time instead of the model reference',
      timeOption,
    )
    .option('--reference-to <time>', 'with --db: end (exclusive) of the reference period', timeOption)
    .option(
      '--methods <list>',
      'methods to run: psi, ks, wasserstein (numbers), chi2, jensen_shannon (categories); default all',
    )
    .option(
      '--threshold <list>',
      'thresholds as METHOD=VALUE pairs, e.g. psi=0.2,ks=0.01 (defaults: psi 0.1, ks 0.05, wasserstein 0.1, chi2 0.05, jensen_shannon 0.1)',
    )
    .option(
      '--vote <rule>',
      'how a field is judged: auto (one test per field by type and size: KS or chi-square up to 1000 reference values, else Wasserstein or Jensen-Shannon), or a vote of every method: majority, any, all (default auto)',
      choiceOption(VOTES),
    )
    .option('--json', 'print the result as JSON on stdout')
    .option('--fail-on-drift', 'exit with code 1 when any field, the prediction or the data set has drifted')
    .action(async (flags: DriftFlags) => runDrift(flags));
}
