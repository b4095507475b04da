/** `vigie sensitivity`: each model's probability over a grid of one field's values, all else held. */
import { Command } from 'commander';
import { formatFieldValue, MODEL_ROLES, type ModelRole } from '../../core/explain/index.ts';
import { CliError } from '../errors.ts';
import { integerOption } from '../options.ts';
import { checkedApplicant, loadExplainer, pct, readApplicantText, type ExplainModelFlags } from './explain-input.ts';

interface SensitivityFlags extends ExplainModelFlags {
  field: string;
  points: number;
  models?: string;
  json: boolean;
}

function rolesOf(list: string | undefined): ModelRole[] | undefined {
  if (list === undefined) return undefined;
  const roles = list.split(',').map((r) => r.trim());
  for (const role of roles) {
    if (!(MODEL_ROLES as readonly string[]).includes(role)) {
      throw new CliError(`--models takes ${MODEL_ROLES.join(', ')} (comma-separated), got "${role}"`);
    }
  }
  return roles as ModelRole[];
}

async function runSensitivity(file: string, flags: SensitivityFlags): Promise<void> {
  const roles = rolesOf(flags.models);
  if (flags.model !== undefined && roles) throw new CliError('use either --model or --models, not both');
  const raw = await readApplicantText(file);
  const explainer = await loadExplainer(flags, roles);
  try {
    const applicant = checkedApplicant(explainer, raw);
    if (!explainer.models.schema.fieldsByName.has(flags.field)) {
      throw new CliError(`--field ${flags.field} is not a field of the input schema`);
    }
    const curve = await explainer.sensitivity(applicant, flags.field, { points: flags.points });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(curve, null, 2)}\n`);
      return;
    }
    const header = [flags.field.padStart(16), ...curve.series.map((s) => `${s.role} v${s.version}`.padStart(16))];
    const lines = [
      `thresholds: ${curve.series.map((s) => `${s.role} ${pct(s.threshold, 1)}`).join(', ')}`,
      header.join('  '),
      ...curve.points.map((point, i) =>
        [
          `${point === curve.current ? '* ' : ''}${formatFieldValue(point)}`.padStart(16),
          ...curve.series.map((s) => pct(s.probabilities[i]!).padStart(16)),
        ].join('  '),
      ),
      '* the applicant’s current value',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await explainer.close();
  }
}

export function register(program: Command): void {
  program
    .command('sensitivity')
    .description("Trace each model's probability over a grid of one field's values, the applicant's others held.")
    .argument('<applicant>', 'JSON file of one applicant (or {"input": …}), or - for stdin')
    .requiredOption('--field <name>', 'the field to move')
    .option('--points <n>', 'grid size for number fields', integerOption(2, 1000), 25)
    .option('--models <list>', 'roles to trace, comma-separated (default: champion, challenger, fallback)')
    .option('-m, --model <ref>', 'trace one model instead: alias, version, or package directory')
    .option('--models-dir <dir>', 'folder holding registry.json and the packages', 'models')
    .option('--json', 'print the grid as JSON', false)
    .action(async (file: string, flags: SensitivityFlags) => runSensitivity(file, flags));
}
