import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigie-explain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const golden = readFileSync('models/credit-default/1/golden.jsonl', 'utf8').split('\n')[0]!;
const applicantFile = join(dir, 'applicant.json');
writeFileSync(applicantFile, golden);

describe('vigie explain', () => {
  it('prints the probability, the base value and contributions that sum to the difference', async () => {
    const run = await runCli(['explain', applicantFile, '--json', '--evaluations', '1000']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      probability: number;
      baseValue: number;
      decision: string;
      contributions: Array<{ field: string; contribution: number; standardError: number }>;
    };
    const sum = result.contributions.reduce((total, c) => total + c.contribution, 0);
    expect(result.baseValue + sum).toBeCloseTo(result.probability, 10);
    expect(result.contributions.find((c) => c.field === 'SK_ID_CURR')!.contribution).toBe(0);
    expect(result.decision).toMatch(/^(approve|refuse)$/);
  });

  it('reads the applicant from stdin and writes a table with standard errors and reasons in words', async () => {
    const run = await runCli(['explain', '-', '--samples', '20'], { input: golden });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^model credit-default v1/);
    expect(run.stdout).toContain('20 permutations');
    expect(run.stdout).toMatch(/EXT_SOURCE_2 +0\.723 +-?\d+\.\d\d +\d+\.\d\d/);
    expect(run.stdout).toMatch(/top reasons:\n {2}\w+ = .+ (raises|lowers) the risk by/);
  });

  it('names every invalid field of the applicant in one line', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...(JSON.parse(golden) as { input: object }).input, EXT_SOURCE_2: 2 }));
    const run = await runCli(['explain', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('vigie: the applicant is not valid: EXT_SOURCE_2 must be >= 0 and <= 1, got 2');
  });
});

describe('vigie sensitivity', () => {
  it('prints the grid of the chosen models with the current value marked', async () => {
    const run = await runCli([
      'sensitivity',
      applicantFile,
      '--field',
      'EXT_SOURCE_2',
      '--points',
      '5',
      '--models',
      'champion,fallback',
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/EXT_SOURCE_2 +champion v1 +fallback v2$/);
    expect(lines.filter((l) => /%/.test(l) && !l.startsWith('thresholds'))).toHaveLength(5);
    expect(run.stdout).toContain('* 0.723');
  });

  it('refuses an unknown field and an unknown model role', async () => {
    const field = await runCli(['sensitivity', applicantFile, '--field', 'INCOME']);
    expect(field.stderr.trim()).toBe('vigie: --field INCOME is not a field of the input schema');
    const role = await runCli(['sensitivity', applicantFile, '--field', 'EXT_SOURCE_2', '--models', 'champion,gold']);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('--models takes champion, challenger, fallback');
  });
});
