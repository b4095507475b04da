/** `vigie explain`: probability, decision, base value and each field's Shapley contribution with its standard error. */
import { Command } from 'commander';
import { formatFieldValue, topReasons } from '../../core/explain/index.ts';
import { integerOption } from '../options.ts';
import { checkedApplicant, loadExplainer, pct, readApplicantText, type ExplainModelFlags } from './explain-input.ts';

interface ExplainFlags extends ExplainModelFlags {
  samples?: number;
  evaluations: number;
  seed: number;
  json: boolean;
}

async function runExplain(file: string, flags: ExplainFlags): Promise<void> {
  const raw = await readApplicantText(file);
  const explainer = await loadExplainer(flags, ['champion']);
  try {
    const applicant = checkedApplicant(explainer, raw);
    const member = explainer.models.member('champion')!;
    const result = await explainer.reasons(applicant, {
      evaluations: flags.evaluations,
      permutations: flags.samples,
      seed: flags.seed,
    });
    const decision = result.probability >= result.threshold ? 'refuse' : 'approve';
    if (flags.json) {
      const model = { name: member.name, version: member.version, dir: member.dir };
      process.stdout.write(
        `${JSON.stringify({ model, decision, ...result, words: topReasons(result.contributions) }, null, 2)}\n`,
      );
      return;
    }
    const sorted = [...result.contributions].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    const width = Math.max(...sorted.map((c) => c.field.length));
    const lines = [
      `model ${member.name} v${member.version} · threshold ${pct(result.threshold, 1)}`,
      `probability ${pct(result.probability)} → ${decision}`,
      `base value E[f] ${pct(result.baseValue)} (mean over the reference sample)`,
      `estimator: ${result.estimator}; ${result.evaluations} evaluations, ${result.permutations} permutations`,
      `sampling residual before adjustment ${(result.residual * 100).toFixed(3)} points (standard error ${(result.residualStandardError * 100).toFixed(3)})`,
      '',
      `${'field'.padEnd(width)}  ${'value'.padStart(14)}  ${'points'.padStart(8)}  ${'± SE'.padStart(6)}`,
      ...sorted.map(
        (c) =>
          `${c.field.padEnd(width)}  ${formatFieldValue(c.value).slice(0, 14).padStart(14)}  ${(c.contribution * 100).toFixed(2).padStart(8)}  ${(c.standardError * 100).toFixed(2).padStart(6)}${c.used ? '' : '  (not read by the model)'}`,
      ),
      '',
      'top reasons:',
      ...topReasons(result.contributions).map((w) => `  ${w}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await explainer.close();
  }
}

export function register(program: Command): void {
  program
    .command('explain')
    .description("Explain one applicant's score: Shapley contributions of each field against the reference sample.")
    .argument('<applicant>', 'JSON file of one applicant (or {"input": …}), or - for stdin')
    .option('-m, --model <ref>', 'alias (champion, challenger, fallback), version, or package directory')
    .option('--models-dir <dir>', 'folder holding registry.json and the packages', 'models')
    .option(
      '--samples <n>',
      'permutations to sample (default: as many as --evaluations buys)',
      integerOption(2, 100_000),
    )
    .option('--evaluations <n>', 'model evaluations to spend', integerOption(100, 1_000_000), 2048)
    .option('--seed <n>', 'seed of the permutation sampling', integerOption(0, 2 ** 31), 1)
    .option('--json', 'print the full result as JSON', false)
    .action(async (file: string, flags: ExplainFlags) => runExplain(file, flags));
}
