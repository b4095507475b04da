import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFixtureModels, type FixtureModels } from '../core/engine/fixture-models.ts';
import { runCli } from '../helpers/run-cli.ts';

let models: FixtureModels;
beforeEach(() => {
  models = copyFixtureModels();
});
afterEach(() => models.cleanup());

describe('vigie bench engine', () => {
  it('prints a JSON report with figures per batch size and the champion best rows_per_s', async () => {
    const args = ['bench', 'engine', '--json', '--models-dir', models.modelsDir, '--duration-s', '0.1'];
    const run = await runCli([...args, '--batch-sizes', '1,8', '--only', '1', '--workers', '1']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.models).toHaveLength(1);
    const [model] = report.models;
    expect(model).toMatchObject({ version: '1', aliases: ['champion'], provider: 'cpu', workers: 1 });
    expect(model.batches.map((b: { batch_size: number }) => b.batch_size)).toEqual([1, 8]);
    expect(report.champion).toEqual({ version: '1', rows_per_s: model.best_rows_per_s });
    expect(report.machine.note).toContain('shared');
  });

  it('still prints Vigie figures, and says why the raw onnxruntime peer was skipped, when its Python is missing', async () => {
    const python = path.join(models.modelsDir, 'no-such-python');
    const args = ['bench', 'engine', '--json', '--models-dir', models.modelsDir, '--duration-s', '0.1'];
    const run = await runCli([...args, '--batch-sizes', '1', '--only', '1', '--workers', '1', '--python', python]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.models).toHaveLength(1);
    expect(report.peer.skipped).toContain(`no Python at "${python}"`);
  });

  it('rejects a batch size that is not a positive integer', async () => {
    const run = await runCli(['bench', 'engine', '--batch-sizes', '1,zero', '--models-dir', models.modelsDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected an integer, got "zero"');
  });
});
