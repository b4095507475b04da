/**
 * What `npm test` does on a fresh machine: the browser tests find a Chromium or are skipped with one line saying how
 * to get one — except in CI, where a missing browser fails; the Python tests run in a venv the runner prepares.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

function run(command: string, args: string[], env: Record<string, string | undefined>) {
  const { CI: _ci, VIGIE_CHROMIUM: _chromium, ...inherited } = process.env;
  return spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...inherited, ...env } });
}

describe('finding a Chromium for the end-to-end tests', () => {
  it('takes the path in VIGIE_CHROMIUM when it is an executable', () => {
    const result = run('node', ['scripts/find-chromium.mjs'], { VIGIE_CHROMIUM: process.execPath });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(process.execPath);
  });

  it('skips the browser tests with one line saying how to get a Chromium when there is none', () => {
    const result = run('sh', ['scripts/test-e2e.sh'], { VIGIE_CHROMIUM: '/nonexistent/chromium' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^end-to-end tests SKIPPED: no Chromium found; install one .*VIGIE_CHROMIUM=/),
    ]);
  });

  it('fails instead in CI, where the browser tests are required', () => {
    const result = run('sh', ['scripts/test-e2e.sh'], { VIGIE_CHROMIUM: '/nonexistent/chromium', CI: 'true' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CI=true requires them');
  });
});

describe('npm test', () => {
  it('runs the three suites through the scripts that prepare them', () => {
    const scripts = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts.test).toBe('sh scripts/test.sh');
    const runner = readFileSync(`${ROOT}scripts/test.sh`, 'utf8');
    expect(runner).toContain('npx vitest run');
    expect(runner).toContain('sh models/training/run.sh --pytest');
    expect(runner).toContain('scripts/test-e2e.sh');
    // The Python runner creates the venv from the requirements when it is missing or stale.
    const python = readFileSync(`${ROOT}models/training/run.sh`, 'utf8');
    expect(python).toMatch(/python3 -m venv "\$VENV"/);
    expect(python).toMatch(/pip install .*-r "\$REQUIREMENTS"/);
  });
});
