import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_MODELS } from '../electron/helpers.ts';
import { runCli } from '../helpers/run-cli.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-profile-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const base = ['profile', '--models-dir', FIXTURE_MODELS, '--models', '1', '--duration-s', '0.05'];

describe('vigie profile', () => {
  it('prints one JSON row per model, provider and batch with the figures and a status', async () => {
    const run = await runCli([...base, '--providers', 'cpu,coreml', '--batch-sizes', '1,8', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { rows: Array<Record<string, unknown>>; machine: { cores: number } };
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.rows.map((row) => [row.provider, row.batch_size])).toEqual([
      ['cpu', 1],
      ['cpu', 8],
      ['coreml', 1],
      ['coreml', 8],
    ]);
    for (const row of result.rows.slice(0, 2)) {
      expect(row).toMatchObject({ status: 'ok' });
      for (const key of ['rows_per_s', 'p50_ms', 'p99_ms', 'parity_max_abs_diff'])
        expect(typeof row[key]).toBe('number');
    }
    expect(result.rows[2]!.status).toMatch(/does not offer coreml/);
  });

  it('writes the optimisation report as HTML and saves the run when given a store', async () => {
    const report = path.join(dir, 'out.html');
    const db = path.join(dir, 'store.sqlite');
    const run = await runCli([...base, '--batch-sizes', '1,8', '--report', report, '--db', db]);
    expect(run.code).toBe(0);
    expect(readFileSync(report, 'utf8')).toContain('<h1>Vigie optimisation report</h1>');
    expect(run.stderr).toMatch(/saved profiling run [0-9a-f-]{36}/);
  });

  it('refuses a report file whose name does not say the format, before measuring', async () => {
    const run = await runCli([...base, '--report', path.join(dir, 'out.txt')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/must end in \.html or \.json/);
    expect(existsSync(path.join(dir, 'out.txt'))).toBe(false);
  });

  it('names the registry\u2019s aliases and versions when a model reference is unknown', async () => {
    const run = await runCli(['profile', '--models-dir', FIXTURE_MODELS, '--models', 'nightly']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown model "nightly"/);
  });

  it('rejects a batch size that is not a whole number', async () => {
    const run = await runCli([...base, '--batch-sizes', '1,abc']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/expected an integer/);
  });
});
