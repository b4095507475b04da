import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { loadModelPackage, PackageError } from '../../core/contract/index.ts';
import {
  pickModel,
  promote,
  readRegistry,
  RegistryError,
  rollback,
  versionOf,
  type HistoryEntry,
  type RegistryDocument,
} from '../../core/registry/index.ts';
import { CliError } from '../errors.ts';

interface CommonFlags {
  modelsDir: string;
  json?: boolean;
}

interface ChangeFlags extends CommonFlags {
  alias: string;
  reason?: string;
  by?: string;
  model?: string;
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RegistryError || error instanceof PackageError) throw new CliError(error.message);
    throw error;
  }
}

function defaultUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function listRows(registry: RegistryDocument): string[][] {
  const rows = [['MODEL', 'VERSION', 'ALIASES', 'KIND', 'ROC_AUC', 'CREATED', 'PATH']];
  for (const [name, model] of Object.entries(registry.models)) {
    for (const [version, entry] of Object.entries(model.versions)) {
      const aliases = Object.entries(model.aliases)
        .filter(([, target]) => target === version)
        .map(([alias]) => alias)
        .join(',');
      const auc = entry.metrics?.roc_auc;
      rows.push([
        name,
        version,
        aliases || '-',
        entry.kind ?? '-',
        auc === undefined ? '-' : auc.toFixed(4),
        entry.created_at ?? '-',
        entry.path,
      ]);
    }
  }
  return rows;
}

async function runList(flags: CommonFlags): Promise<void> {
  const registry = await guard(() => readRegistry(flags.modelsDir));
  if (flags.json) return print(JSON.stringify(registry.models, null, 2));
  print(table(listRows(registry)));
}

async function runShow(ref: string, flags: CommonFlags): Promise<void> {
  const registry = await guard(() => readRegistry(flags.modelsDir));
  const { name, model, ref: local } = await guard(async () => pickModel(registry, ref));
  const found = versionOf(model, local);
  if (!found) {
    throw new CliError(
      `unknown model "${ref}": not an alias (${Object.keys(model.aliases).join(', ')}) or version (${Object.keys(model.versions).join(', ')}) of ${name}`,
    );
  }
  const entry = model.versions[found.version]!;
  const pkg = await guard(() => loadModelPackage(path.resolve(flags.modelsDir, entry.path)));
  const aliases = Object.entries(model.aliases)
    .filter(([, target]) => target === found.version)
    .map(([alias]) => alias);
  const history = registry.history.filter(
    (item) =>
      item.model === name &&
      (item.action === 'register'
        ? item.version === found.version
        : item.to === found.version || item.from === found.version),
  );
  const summary = {
    model: name,
    version: found.version,
    aliases,
    kind: pkg.kind,
    threshold: pkg.threshold,
    output: pkg.output,
    dir: pkg.dir,
    registry_entry: entry,
    metrics: pkg.metadata.metrics ?? null,
    data_fingerprint: pkg.metadata.data_fingerprint ?? null,
    code_commit: pkg.metadata.code_commit ?? null,
    inputs: pkg.schema.fields.length,
    history,
  };
  if (flags.json) return print(JSON.stringify(summary, null, 2));
  const lines = [
    `${name} version ${found.version}${aliases.length ? ` (${aliases.join(', ')})` : ''}`,
    `  kind         ${pkg.kind}`,
    `  threshold    ${pkg.threshold} (refuse when probability >= threshold)`,
    `  output       ${pkg.output.name} ${pkg.output.layout}`,
    `  directory    ${pkg.dir}`,
    `  metrics      ${JSON.stringify(summary.metrics)}`,
    `  fingerprint  ${String(summary.data_fingerprint)}`,
    `  code commit  ${String(summary.code_commit)}`,
    `  schema       ${summary.inputs} fields`,
    '  history',
    ...history.map((item) => `    ${describeHistory(item)}`),
  ];
  print(lines.join('\n'));
}

function describeHistory(item: HistoryEntry): string {
  if (item.action === 'register')
    return `${item.at}  ${item.by}  register ${item.version}${item.reason ? `: ${item.reason}` : ''}`;
  return `${item.at}  ${item.by}  ${item.action} ${item.alias} ${item.from ?? '-'} -> ${item.to}: ${item.reason}`;
}

function requireReason(flags: ChangeFlags): string {
  if (!flags.reason || flags.reason.trim() === '')
    throw new CliError('--reason is required: say why the alias changes');
  return flags.reason;
}

async function runPromote(version: string, flags: ChangeFlags): Promise<void> {
  const reason = requireReason(flags);
  const entry = await guard(() =>
    promote({
      modelsDir: flags.modelsDir,
      model: flags.model,
      alias: flags.alias,
      version,
      reason,
      by: flags.by ?? defaultUser(),
    }),
  );
  if (flags.json) return print(JSON.stringify(entry));
  print(`${entry.model}: ${entry.alias} ${entry.from ?? '-'} -> ${entry.to}`);
}

async function runRollback(flags: ChangeFlags): Promise<void> {
  const reason = requireReason(flags);
  const entry = await guard(() =>
    rollback({
      modelsDir: flags.modelsDir,
      model: flags.model,
      alias: flags.alias,
      reason,
      by: flags.by ?? defaultUser(),
    }),
  );
  if (flags.json) return print(JSON.stringify(entry));
  print(`${entry.model}: ${entry.alias} rolled back ${entry.from ?? '-'} -> ${entry.to}`);
}

function common(command: Command): Command {
  return command
    .option('--models-dir <dir>', 'folder holding registry.json and the packages', 'models')
    .option('--json', 'machine-readable output');
}

function change(command: Command): Command {
  return common(command)
    .requiredOption('--alias <alias>', 'alias to move (champion, challenger, fallback)')
    .option('--reason <text>', 'why (required; recorded in the history)')
    .option('--by <user>', 'who (default: the current OS user)')
    .option('--model <name>', 'model name, when the registry holds several');
}

export function register(program: Command): void {
  const models = program
    .command('models')
    .description('List, inspect, promote and roll back registered model versions.');
  common(models.command('list').description('List every registered version with its aliases.')).action(
    (flags: CommonFlags) => runList(flags),
  );
  common(
    models
      .command('show')
      .description('Show one version (by alias or version): package metadata, metrics and history.')
      .argument('<ref>', 'alias (champion…), version (3) or <model>/<ref>'),
  ).action((ref: string, flags: CommonFlags) => runShow(ref, flags));
  change(
    models
      .command('promote')
      .description('Point an alias at a version and record who, when and why.')
      .argument('<version>', 'version to promote'),
  ).action((version: string, flags: ChangeFlags) => runPromote(version, flags));
  change(
    models
      .command('rollback')
      .description('Move an alias back to the version it pointed to before its last promotion.'),
  ).action((flags: ChangeFlags) => runRollback(flags));
  for (const command of models.commands) command.exitOverride().allowExcessArguments(false);
}
