import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-cli-drift-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A deterministic pseudo-random generator, so the CSV files are the same on every run. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function writeCsv(name: string, rows: number, options: { shift?: number; seed?: number; newCategory?: boolean } = {}) {
  const random = lcg(options.seed ?? 1);
  const lines = ['income,children,contract'];
  for (let i = 0; i < rows; i += 1) {
    const income = (50_000 + 100_000 * random() + (options.shift ?? 0)).toFixed(1);
    const children = Math.floor(random() * 4);
    const contract =
      options.newCategory && i % 3 === 0 ? 'Car loans' : random() < 0.8 ? 'Cash loans' : 'Revolving loans';
    lines.push(`${income},${i % 17 === 0 ? '' : children},${contract}`);
  }
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function expectOneLineError(run: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('vigie drift with CSV files', () => {
  it('prints the contract JSON with every method per column, the drift share and the verdict', async () => {
    const reference = writeCsv('ref.csv', 3000, { seed: 1 });
    const current = writeCsv('cur.csv', 2000, { seed: 2, shift: 40_000, newCategory: true });
    const run = await runCli(['drift', '--reference', reference, '--current', current, '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out.columns)).toEqual(['income', 'children', 'contract']);
    expect(Object.keys(out.columns.income)).toEqual(['psi', 'ks', 'wasserstein']);
    expect(Object.keys(out.columns.contract)).toEqual(['chi2', 'jensen_shannon']);
    expect(out.columns.income.psi).toMatchObject({ p_value: null, threshold: 0.1, drifted: true });
    expect(out.columns.income.ks.p_value).toBeLessThan(0.05);
    expect(out.columns.children.ks.drifted).toBe(false);
    expect(out.drift_share).toBeCloseTo(2 / 3, 12);
    expect(out.dataset_drift).toBe(true);
    expect(out.data_quality.contract.unseen_categories).toEqual([{ category: 'Car loans', count: 667 }]);
    expect(out.data_quality.children.current_missing_rate).toBeCloseTo(118 / 2000, 12);
  });

  it('exits 1 with --fail-on-drift when drift is found and 0 when the files agree', async () => {
    const reference = writeCsv('ref.csv', 2000, { seed: 1 });
    const drifted = writeCsv('cur.csv', 2000, { seed: 2, shift: 60_000 });
    const same = writeCsv('same.csv', 2000, { seed: 3 });
    expect((await runCli(['drift', '--reference', reference, '--current', drifted, '--fail-on-drift'])).code).toBe(1);
    const calm = await runCli(['drift', '--reference', reference, '--current', same, '--fail-on-drift']);
    expect(calm.code).toBe(0);
    expect(calm.stdout).toContain('data-set drift: no');
  });

  it('reads gzipped CSV files', async () => {
    const reference = writeCsv('ref.csv', 500, { seed: 1 });
    const gz = path.join(dir, 'cur.csv.gz');
    writeFileSync(gz, gzipSync(Buffer.from(`income,children,contract\n1.5,2,Cash loans\n`)));
    const run = await runCli(['drift', '--reference', reference, '--current', gz, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).columns.income.ks.statistic).toBeGreaterThan(0);
  });

  it('compares a numeric column as categories with --categorical', async () => {
    const reference = writeCsv('ref.csv', 500, { seed: 1 });
    const current = writeCsv('cur.csv', 500, { seed: 2 });
    const run = await runCli([
      'drift',
      '--reference',
      reference,
      '--current',
      current,
      '--categorical',
      'children',
      '--json',
    ]);
    expect(Object.keys(JSON.parse(run.stdout).columns.children)).toEqual(['chi2', 'jensen_shannon']);
  });

  it('compares a column as categories on both sides when one file holds text in it', async () => {
    const reference = writeCsv('ref.csv', 300, { seed: 1 });
    const current = path.join(dir, 'cur.csv');
    writeFileSync(current, 'income,children,contract\n60000,2,Cash loans\n70000,many,Cash loans\n');
    const out = JSON.parse((await runCli(['drift', '--reference', reference, '--current', current, '--json'])).stdout);
    expect(Object.keys(out.columns.children)).toEqual(['chi2', 'jensen_shannon']);
    expect(out.data_quality.children.unseen_categories).toEqual([{ category: 'many', count: 1 }]);
  });

  it('runs only the chosen methods at the chosen thresholds', async () => {
    const reference = writeCsv('ref.csv', 800, { seed: 1 });
    const current = writeCsv('cur.csv', 800, { seed: 2, shift: 5_000 });
    const run = await runCli([
      'drift',
      '--reference',
      reference,
      '--current',
      current,
      '--methods',
      'psi,jensen_shannon',
      '--threshold',
      'psi=5',
      '--json',
    ]);
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out.columns.income)).toEqual(['psi']);
    expect(out.columns.income.psi.threshold).toBe(5);
    expect(Object.keys(out.columns.contract)).toEqual(['jensen_shannon']);
  });
});

describe('vigie drift refuses bad input with one line and exit 2', () => {
  it('names the line and column of a malformed CSV cell', async () => {
    const reference = writeCsv('ref.csv', 10);
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'income,children,contract\n1,2,"Cash loans\n');
    expectOneLineError(await runCli(['drift', '--reference', reference, '--current', bad]), /bad\.csv: .*quote/i);
  });

  it('names a row with the wrong number of cells', async () => {
    const reference = writeCsv('ref.csv', 10);
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'income,children,contract\n1,2\n');
    expectOneLineError(
      await runCli(['drift', '--reference', reference, '--current', bad]),
      /bad\.csv: .*(record|field)/i,
    );
  });

  it('names a column missing from the current file', async () => {
    const reference = writeCsv('ref.csv', 10);
    const current = path.join(dir, 'cur.csv');
    writeFileSync(current, 'income,children\n1,2\n');
    expectOneLineError(
      await runCli(['drift', '--reference', reference, '--current', current]),
      /the column "contract" is missing/,
    );
  });

  it('says an empty file is empty', async () => {
    const reference = writeCsv('ref.csv', 10);
    const empty = path.join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expectOneLineError(
      await runCli(['drift', '--reference', reference, '--current', empty]),
      /empty\.csv: the file is empty/,
    );
  });

  it('says a file with a header only has no data rows', async () => {
    const reference = writeCsv('ref.csv', 10);
    const header = path.join(dir, 'header.csv');
    writeFileSync(header, 'income,children,contract\n');
    expectOneLineError(await runCli(['drift', '--reference', reference, '--current', header]), /no data rows/);
  });

  it('says a file does not exist', async () => {
    const reference = writeCsv('ref.csv', 10);
    expectOneLineError(
      await runCli(['drift', '--reference', reference, '--current', path.join(dir, 'nope.csv')]),
      /nope\.csv: no such file/,
    );
  });

  it('lists the known methods for an unknown one', async () => {
    const reference = writeCsv('ref.csv', 10);
    expectOneLineError(
      await runCli(['drift', '--reference', reference, '--current', reference, '--methods', 'psi,t_test']),
      /unknown drift method "t_test" \(known: psi, ks, wasserstein, chi2, jensen_shannon\)/,
    );
  });

  it('explains the threshold syntax', async () => {
    const reference = writeCsv('ref.csv', 10);
    expectOneLineError(
      await runCli(['drift', '--reference', reference, '--current', reference, '--threshold', 'psi:0.2']),
      /--threshold expects METHOD=NUMBER pairs/,
    );
  });

  it('refuses a p-value threshold outside (0, 1)', async () => {
    const reference = writeCsv('ref.csv', 10);
    expectOneLineError(
      await runCli(['drift', '--reference', reference, '--current', reference, '--threshold', 'ks=1.5']),
      /the threshold of ks must be a p-value level between 0 and 1/,
    );
  });

  it('names a --categorical column that the files do not have', async () => {
    const reference = writeCsv('ref.csv', 10);
    expectOneLineError(
      await runCli(['drift', '--reference', reference, '--current', reference, '--categorical', 'colour']),
      /--categorical names "colour", which is not a column/,
    );
  });

  it('refuses an unknown window size and database-only options on CSV files', async () => {
    const month = await runCli(['drift', '--db', path.join(dir, 'x.sqlite'), '--window', 'month']);
    expect(month.code).toBe(2);
    expect(month.stderr).toMatch(/--window <size>' argument 'month' is invalid\. expected one of hour, day, week/);
    const reference = writeCsv('ref.csv', 10);
    expectOneLineError(
      await runCli(['drift', '--reference', reference, '--current', reference, '--window', 'day']),
      /--window needs --db/,
    );
  });

  it('refuses --from after --to', async () => {
    expectOneLineError(
      await runCli(['drift', '--db', path.join(dir, 'x.sqlite'), '--from', '2026-11-22', '--to', '2026-11-21']),
      /--from\/--to: the start .* must be before the end/,
    );
  });

  it('refuses a database that does not exist instead of creating it', async () => {
    expectOneLineError(await runCli(['drift', '--db', path.join(dir, 'none.sqlite')]), /no such database/);
  });

  it('needs both CSV files or a database', async () => {
    expectOneLineError(await runCli(['drift']), /give --reference and --current CSV files, or --db/);
    const reference = writeCsv('ref.csv', 10);
    expectOneLineError(await runCli(['drift', '--reference', reference]), /--reference and --current go together/);
  });
});
