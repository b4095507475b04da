import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProfile, type ProfileRequest } from '../../../core/profiling/index.ts';
import { FIXTURE_MODELS } from '../../electron/helpers.ts';

/** A copy of the fixture registry that a test may change (a golden file, say) without touching the fixtures. */
let modelsDir: string;

beforeEach(() => {
  modelsDir = mkdtempSync(join(tmpdir(), 'vigie-profile-'));
  cpSync(FIXTURE_MODELS, modelsDir, { recursive: true });
});

afterEach(() => rmSync(modelsDir, { recursive: true, force: true }));

const request = (overrides: Partial<ProfileRequest> = {}): ProfileRequest => ({
  modelsDir,
  models: ['1'],
  providers: ['cpu'],
  batchSizes: [1, 16],
  workers: [1],
  durationS: 0.05,
  ...overrides,
});

describe('profiling runs', () => {
  it('gives a provider this build does not offer a status with the reason, and no figures', async () => {
    const result = await runProfile(request({ providers: ['coreml'] }));
    expect(result.rows).toHaveLength(2);
    for (const row of result.rows) {
      expect(row.provider).toBe('coreml');
      expect(row.status).toMatch(/^not available: this onnxruntime-node build .* does not offer coreml$/);
      expect(row.rows_per_s).toBeNull();
      expect(row.parity_max_abs_diff).toBeNull();
    }
  });

  it('never reports the CPU fallback under another provider name', async () => {
    const result = await runProfile(request({ providers: ['cpu', 'coreml'] }));
    const measured = result.rows.filter((row) => row.status === 'ok');
    expect(measured.map((row) => row.provider)).toEqual(['cpu', 'cpu']);
  });

  it('checks parity with the golden file on every measured cell', async () => {
    const result = await runProfile(request({ models: ['1', '2'] }));
    const ok = result.rows.filter((row) => row.status === 'ok');
    expect(ok).toHaveLength(4);
    for (const row of ok) {
      expect(row.parity_rows).toBeGreaterThan(0);
      expect(row.parity_max_abs_diff).toBeLessThan(1e-5);
    }
  });

  it('reports the parity loss when the package and its golden file disagree', async () => {
    const golden = join(modelsDir, 'fixture-credit', '1', 'golden.jsonl');
    const lines = readFileSync(golden, 'utf8').trim().split('\n');
    const first = JSON.parse(lines[0]!) as { expected_probability: number };
    first.expected_probability += 0.25;
    lines[0] = JSON.stringify(first);
    writeFileSync(golden, `${lines.join('\n')}\n`);
    const result = await runProfile(request());
    for (const row of result.rows) expect(row.parity_max_abs_diff).toBeCloseTo(0.25, 5);
  });

  it('stops at once when cancelled and returns no result', async () => {
    const controller = new AbortController();
    const run = runProfile(request({ batchSizes: [1, 16, 64, 256], durationS: 0.5 }), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses a model reference the registry does not know before measuring anything', async () => {
    await expect(runProfile(request({ models: ['nightly'] }))).rejects.toThrow(/unknown model "nightly"/);
  });
});
