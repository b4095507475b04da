import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

describe('vigie command line', () => {
  it('prints usage with --help and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: vigie');
  });

  it('rejects an unknown command with one line on stderr and exit code 2', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command|too many arguments/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown option with exit code 2', async () => {
    const run = await runCli(['--colour']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--colour'");
  });
});

describe('vigie api --help', () => {
  it('names the admin keys and the log folder a new user needs to connect the console', async () => {
    const run = await runCli(['api', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/VIGIE_ADMIN_KEYS/);
    expect(run.stdout).toMatch(/VIGIE_LOG_DIR/);
    expect(run.stdout).toMatch(/admin-key/);
    expect(run.stdout).toContain('never printed');
    expect(run.stdout).toContain('with the admin key (cat var/admin-key)');
  });
});
