import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { MODELS_DIR, scoredStore } from '../helpers/scored-store.ts';

let dir = '';
let db = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vigie-replay-'));
  db = path.join(dir, 'logs.sqlite');
  (await scoredStore({ file: db, rows: 1500 })).close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = () => ['replay', '--db', db, '--models-dir', MODELS_DIR, '--workers', '1'];

describe('vigie replay', () => {
  it('prints the flip table and a verdict against the fallback', async () => {
    const run = await runCli([...base(), '--model', 'fallback']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('baseline approves');
    expect(run.stdout).toMatch(/verdict: (review|hold)/);
  });

  it('prints JSON whose flips add up and writes the HTML report', async () => {
    const html = path.join(dir, 'report.html');
    const run = await runCli([...base(), '--model', 'fallback', '--json', '--html', html]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const f = report.flips;
    expect(f.approveApprove + f.approveRefuse + f.refuseApprove + f.refuseRefuse).toBe(report.compared);
    expect(readFileSync(html, 'utf8')).toContain('Challenger report');
  });

  it('exits 1 when the flip rate is above --fail-on-flip-rate, 0 for the champion against itself', async () => {
    const gate = await runCli([...base(), '--model', 'fallback', '--fail-on-flip-rate', '0']);
    expect(gate.code).toBe(1);
    expect(gate.stderr).toContain('above --fail-on-flip-rate');
    const same = await runCli([...base(), '--model', 'champion', '--fail-on-flip-rate', '0', '--json']);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).verdict.level).toBe('equivalent');
  });

  it('explains a missing database, an unknown model, a bad rate and an empty period', async () => {
    const missing = await runCli(['replay', '--db', path.join(dir, 'none.sqlite'), '--model', 'fallback']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such database');
    const unknown = await runCli([...base(), '--model', 'nonesuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown model "nonesuch"');
    const rate = await runCli([...base(), '--model', 'fallback', '--fail-on-flip-rate', '2']);
    expect(rate.code).not.toBe(0);
    expect(rate.stderr).toContain('expected a number from 0 to 1');
    const empty = await runCli([...base(), '--model', 'fallback', '--from', '2030-01-01']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no scored records in the selected period');
    const noModel = await runCli(['replay', '--db', db]);
    expect(noModel.stderr).toContain('--model is required');
  });

  it('says so when no record holds a shadow answer', async () => {
    const run = await runCli([...base(), '--model', 'shadow']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no record of the period holds a shadow answer');
  });

  it('refuses a package directory that is not a model', async () => {
    const bogus = path.join(dir, 'bogus');
    const run = await runCli([...base(), '--model', bogus]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot load model|unknown model/);
  });
});
