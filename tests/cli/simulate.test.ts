import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { parseLogLine } from '../../core/contract/index.ts';
import { createEngine } from '../../core/engine/index.ts';
import { FIXTURE_MODELS } from '../core/engine/fixture-models.ts';
import { runCli as runCliProcess, type CliRun } from '../helpers/run-cli.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-cli-simulate-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `vigie <args>` in this process, capturing what it writes: the same entry as bin/vigie.js without the cost of
 * starting Node and tsx for each test. One test per subcommand still goes through a real process.
 */
async function runCli(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const capture = (sink: (text: string) => void) => (chunk: string | Uint8Array) => {
    sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((text) => (stdout += text)));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture((text) => (stderr += text)));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function expectOneLineError(run: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('vigie simulate applicants', () => {
  it('writes the CSV and prints its statistics on stderr', async () => {
    const out = path.join(dir, 'a.csv');
    const run = await runCliProcess(['simulate', 'applicants', '--rows', '2000', '--seed', '7', '--out', out]);
    expect(run.code).toBe(0);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(2001);
    expect(run.stderr).toContain('wrote 2,000 applicants');
    expect(run.stderr).toMatch(/default rate \(TARGET = 1\)\s+\d+\.\d\d %/);
    expect(run.stderr).toMatch(/median credit \/ annuity\s+\d/);
    expect(run.stdout).toBe('');
  });

  it('prints the statistics as JSON on stdout with --json', async () => {
    const out = path.join(dir, 'a.csv');
    const run = await runCli(['simulate', 'applicants', '--rows', '500', '--out', out, '--json']);
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(stats).toMatchObject({ out, seed: 1, rows: 500 });
    expect(Object.keys(stats)).toEqual(
      expect.arrayContaining([
        'defaultRate',
        'missingRate',
        'notEmployedRate',
        'medianCreditToIncome',
        'medianCreditToAnnuity',
      ]),
    );
  });

  it('writes byte-identical files for the same seed', async () => {
    const [a, b] = [path.join(dir, 'a.csv'), path.join(dir, 'b.csv')];
    await runCli(['simulate', 'applicants', '--rows', '1000', '--seed', '9', '--out', a]);
    await runCli(['simulate', 'applicants', '--rows', '1000', '--seed', '9', '--out', b]);
    expect(readFileSync(a)).toEqual(readFileSync(b));
  });

  it('refuses to run without --out', async () => {
    expectOneLineError(await runCliProcess(['simulate', 'applicants', '--rows', '10']), /needs --out/);
  });

  it('refuses --rows 0', async () => {
    const run = await runCli(['simulate', 'applicants', '--rows', '0', '--out', path.join(dir, 'a.csv')]);
    expectOneLineError(run, /--rows <n>' argument '0' is invalid/);
  });

  it('refuses a --rows that is not a number', async () => {
    const run = await runCli(['simulate', 'applicants', '--rows', 'abc', '--out', path.join(dir, 'a.csv')]);
    expectOneLineError(run, /expected an integer, got "abc"/);
  });

  it('refuses a negative --seed', async () => {
    const run = await runCli(['simulate', 'applicants', '--seed', '-1', '--out', path.join(dir, 'a.csv')]);
    expectOneLineError(run, /--seed/);
  });

  it('reports an --out it cannot write', async () => {
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const target = process.getuid?.() === 0 ? path.join(dir, 'missing', 'a.csv') : path.join(locked, 'a.csv');
    expectOneLineError(await runCli(['simulate', 'applicants', '--out', target]), /cannot write --out/);
  });

  it('reports a --schema that does not exist', async () => {
    const run = await runCli([
      'simulate',
      'applicants',
      '--out',
      path.join(dir, 'a.csv'),
      '--schema',
      path.join(dir, 'nope.json'),
    ]);
    expectOneLineError(run, /cannot read --schema/);
  });

  it('reports a --schema that is not an input schema', async () => {
    const schema = path.join(dir, 'schema.json');
    writeFileSync(schema, '{"type":"array"}');
    const run = await runCli(['simulate', 'applicants', '--out', path.join(dir, 'a.csv'), '--schema', schema]);
    expectOneLineError(run, /is not a usable input schema/);
  });
});

describe('vigie simulate traffic', () => {
  const traffic = (...args: string[]) => runCli(['simulate', 'traffic', '--days', '2', '--rows', '400', ...args]);

  it('writes the log files and manifest, and prints a summary on stderr', async () => {
    const out = path.join(dir, 'logs');
    const run = await runCliProcess([
      'simulate',
      'traffic',
      '--days',
      '2',
      '--rows',
      '400',
      '--scenario',
      'incident',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(readdirSync(out)).toContain('manifest.json');
    expect(readdirSync(out)).toContain('predictions-api-0-2026-11-01.jsonl.gz');
    expect(run.stderr).toContain('wrote 400 log records');
    expect(run.stderr).toContain('incident');
  });

  it('prints the manifest as JSON with --json and honours --start, --replicas and --no-gzip', async () => {
    const out = path.join(dir, 'logs');
    const run = await traffic('--out', out, '--json', '--start', '2027-01-10', '--replicas', '1', '--no-gzip');
    expect(run.code).toBe(0);
    const manifest = JSON.parse(run.stdout) as { files: Array<{ name: string }>; replicas: number; gzip: boolean };
    expect(manifest).toMatchObject({ replicas: 1, gzip: false });
    expect(manifest.files.map((file) => file.name)).toEqual([
      'predictions-api-0-2027-01-10.jsonl',
      'predictions-api-0-2027-01-11.jsonl',
    ]);
  });

  it('refuses to mix with an earlier simulation unless --force is given', async () => {
    const out = path.join(dir, 'logs');
    await traffic('--out', out);
    expectOneLineError(await traffic('--out', out, '--seed', '2'), /already holds .* --force/);
    expect((await traffic('--out', out, '--seed', '2', '--force')).code).toBe(0);
  });

  it('refuses to run without --out', async () => {
    expectOneLineError(await traffic(), /needs --out/);
  });

  it('refuses an unknown scenario', async () => {
    const run = await traffic('--scenario', 'meteor', '--out', path.join(dir, 'logs'));
    expectOneLineError(run, /expected one of stable, gradual-drift, sudden-shift, data-quality, incident/);
  });

  it('refuses --rows 0 and a --days that is not a number', async () => {
    expectOneLineError(await runCli(['simulate', 'traffic', '--rows', '0', '--out', dir]), /--rows/);
    expectOneLineError(await runCli(['simulate', 'traffic', '--days', 'abc', '--out', dir]), /--days/);
  });

  it('writes the same files with --workers 2', async () => {
    const [one, two] = [path.join(dir, 'one'), path.join(dir, 'two')];
    expect((await traffic('--out', one)).code).toBe(0);
    expect((await traffic('--out', two, '--workers', '2')).code).toBe(0);
    for (const name of readdirSync(one))
      expect(readFileSync(path.join(two, name))).toEqual(readFileSync(path.join(one, name)));
  });

  it('refuses a --workers that is neither auto nor a count', async () => {
    expectOneLineError(await traffic('--workers', 'many', '--out', dir), /expected "auto" or an integer from 1 to 64/);
  });

  it('refuses a --start that is not a day', async () => {
    expectOneLineError(await traffic('--start', '2026-02-30', '--out', dir), /expected a day such as 2026-11-01/);
  });

  it('reports an --out that is a file', async () => {
    const file = path.join(dir, 'file.txt');
    writeFileSync(file, 'x');
    expectOneLineError(await traffic('--out', file), /cannot write --out/);
  });
});

describe('vigie simulate traffic --model', () => {
  const scored = (out: string, ...args: string[]) =>
    runCli([
      'simulate',
      'traffic',
      '--days',
      '2',
      '--rows',
      '300',
      '--no-gzip',
      '--models-dir',
      FIXTURE_MODELS,
      '--out',
      out,
      ...args,
    ]);

  it('writes the model probabilities and names the model in the manifest', async () => {
    const out = path.join(dir, 'logs');
    const run = await scored(out, '--model', 'champion');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('scored by fixture-credit version 1 (alias champion)');
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      probabilities: 'scored by fixture-credit version 1 (alias champion)',
      model: { name: 'fixture-credit', version: '1', alias: 'champion' },
    });
    const records = readdirSync(out)
      .filter((name) => name.endsWith('.jsonl'))
      .flatMap((name) => readFileSync(path.join(out, name), 'utf8').trimEnd().split('\n'))
      .map((line) => {
        const parsed = parseLogLine(line);
        if (!parsed.ok) throw new Error(`unreadable line: ${line}`);
        return parsed.record;
      })
      .filter((record) => record.status === 'ok');
    expect(records.length).toBeGreaterThan(250);
    const engine = await createEngine({ modelsDir: FIXTURE_MODELS, champion: 'champion', fallback: null, workers: 1 });
    try {
      for (const record of [records[0]!, records[100]!, records[records.length - 1]!]) {
        expect(record.model).toEqual({ name: 'fixture-credit', version: '1', alias: 'champion' });
        const checked = engine.schema.validate({ ...record.input, SK_ID_CURR: 1 });
        if (!checked.ok) throw new Error('a logged input no longer validates');
        const [expected] = await engine.scoreMany([checked.value]);
        // Scored alone or in a batch, float32 kernels may differ in the last bits.
        expect(record.output!.probability).toBeCloseTo(expected!.probability, 6);
        expect(record.output!.threshold).toBe(expected!.threshold);
      }
    } finally {
      await engine.close();
    }
  });

  it('writes byte-identical files for the same seed and model', async () => {
    const [one, two] = [path.join(dir, 'one'), path.join(dir, 'two')];
    expect((await scored(one, '--model', 'champion', '--seed', '4')).code).toBe(0);
    expect((await scored(two, '--model', 'champion', '--seed', '4')).code).toBe(0);
    for (const name of readdirSync(one))
      expect(readFileSync(path.join(two, name))).toEqual(readFileSync(path.join(one, name)));
  });

  it('scores the scenario fallback answers with --fallback and names both models', async () => {
    const out = path.join(dir, 'logs');
    const run = await scored(out, '--model', 'champion', '--fallback', 'fallback', '--scenario', 'incident', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      probabilities:
        'scored by fixture-credit version 1 (alias champion); fallback answers by fixture-credit version 2 (alias fallback)',
      fallback_model: { name: 'fixture-credit', version: '2', alias: 'fallback' },
    });
  });

  it('refuses --fallback without --model', async () => {
    expectOneLineError(await scored(path.join(dir, 'logs'), '--fallback', 'fallback'), /--fallback needs --model/);
  });

  it('refuses an unknown model alias', async () => {
    const out = path.join(dir, 'logs');
    expectOneLineError(await scored(out, '--model', 'nope'), /cannot load --model nope: .*unknown model "nope"/);
    expect(() => readdirSync(out)).toThrow();
  });

  it('refuses a model folder that does not exist', async () => {
    const missing = path.join(dir, 'no-such-package');
    expectOneLineError(
      await scored(path.join(dir, 'logs'), '--model', missing),
      /cannot load --model .*no-such-package/,
    );
  });
});
