import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFixtureModels, type FixtureModels } from '../core/engine/fixture-models.ts';
import { runCli } from '../helpers/run-cli.ts';

let models: FixtureModels;
beforeEach(() => {
  models = copyFixtureModels();
});
afterEach(() => models.cleanup());

const registry = () => JSON.parse(readFileSync(path.join(models.modelsDir, 'registry.json'), 'utf8'));

describe('vigie models', () => {
  it('lists every registered version with its aliases', async () => {
    const run = await runCli(['models', 'list', '--models-dir', models.modelsDir]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^MODEL\s+VERSION\s+ALIASES\s+KIND/);
    expect(lines[1]).toMatch(/^fixture-credit\s+1\s+champion\s+logistic_fixture/);
    expect(lines[3]).toMatch(/^fixture-credit\s+3\s+challenger\s+faulty_fixture/);
  });

  it('shows a version by alias with its threshold and history as JSON', async () => {
    const run = await runCli(['models', 'show', 'fallback', '--json', '--models-dir', models.modelsDir]);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout);
    expect(shown).toMatchObject({ model: 'fixture-credit', version: '2', aliases: ['fallback'], threshold: 0.22 });
    expect(shown.history).toEqual([expect.objectContaining({ action: 'register', version: '2' })]);
  });

  it('promotes and rolls back the champion, recording user and reason in the history', async () => {
    const promoted = await runCli([
      'models',
      'promote',
      '3',
      '--alias',
      'champion',
      '--reason',
      'better AUC',
      '--by',
      'alice',
      '--models-dir',
      models.modelsDir,
    ]);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout.trim()).toBe('fixture-credit: champion 1 -> 3');
    expect(registry().models['fixture-credit'].aliases.champion).toBe('3');
    const rolled = await runCli([
      'models',
      'rollback',
      '--alias',
      'champion',
      '--reason',
      'drift',
      '--by',
      'bob',
      '--models-dir',
      models.modelsDir,
    ]);
    expect(rolled.code).toBe(0);
    const history = registry().history.slice(-2);
    expect(history).toEqual([
      expect.objectContaining({ action: 'promote', by: 'alice', from: '1', to: '3', reason: 'better AUC' }),
      expect.objectContaining({ action: 'rollback', by: 'bob', from: '3', to: '1', reason: 'drift' }),
    ]);
    expect(registry().models['fixture-credit'].aliases.champion).toBe('1');
  });

  it('refuses a promotion without --reason and leaves the registry unchanged', async () => {
    const before = readFileSync(path.join(models.modelsDir, 'registry.json'), 'utf8');
    const run = await runCli(['models', 'promote', '3', '--alias', 'champion', '--models-dir', models.modelsDir]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('vigie: --reason is required: say why the alias changes');
    expect(readFileSync(path.join(models.modelsDir, 'registry.json'), 'utf8')).toBe(before);
  });

  it('refuses a rollback when the alias was never promoted', async () => {
    const run = await runCli([
      'models',
      'rollback',
      '--alias',
      'champion',
      '--reason',
      'x',
      '--models-dir',
      models.modelsDir,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('vigie: champion has no earlier version to roll back to');
  });

  it('names the registry file when it is missing', async () => {
    const run = await runCli(['models', 'list', '--models-dir', path.join(models.modelsDir, 'nowhere')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nowhere\/registry\.json: file is missing/);
  });
});
