import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFixtureModels, readGolden, type FixtureModels } from '../core/engine/fixture-models.ts';
import { runCli } from '../helpers/run-cli.ts';

let models: FixtureModels;
beforeEach(() => {
  models = copyFixtureModels();
});
afterEach(() => models.cleanup());

const work = (name: string) => path.join(models.modelsDir, '..', name);

function expectOneLineError(run: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
}

describe('vigie score', () => {
  it('scores JSONL golden records in order and reports unreadable or invalid lines by number', async () => {
    const golden = readGolden(models.packageDir('1')).slice(0, 3);
    const input = work('in.jsonl');
    const lines = golden.map((row) => JSON.stringify(row));
    lines.splice(1, 0, '{"input": {"AMT_CREDIT": "lots"}}', 'not json');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const run = await runCli(['score', input, '--models-dir', models.modelsDir]);
    expect(run.code).toBe(0);
    const out = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(out).toHaveLength(5);
    expect(out[0]).toEqual({
      line: 1,
      row: 1,
      model_version: '1',
      probability: expect.closeTo(golden[0]!.expected_probability, 5),
      decision: 'approve',
      served_by: 'champion',
    });
    expect(out[1]).toMatchObject({ line: 2, error: { code: 'VALIDATION_FAILED' } });
    expect(out[1].error.issues).toContainEqual(expect.objectContaining({ path: 'AMT_CREDIT', code: 'wrong_type' }));
    expect(out[2]).toMatchObject({ line: 3, error: { code: 'INVALID_JSON' } });
    expect(out[4]).toMatchObject({ line: 5, row: 5 });
    expect(out[4].probability).toBeCloseTo(golden[2]!.expected_probability, 5);
    expect(run.stderr).toContain('scored 3 of 5 rows (2 invalid)');
  });

  it('scores a CSV with empty cells as missing values and flags a malformed number, writing CSV to --out', async () => {
    const sample = path.join(models.packageDir('2'), 'reference', 'sample.csv.gz');
    const csv = work('in.csv');
    const rows = gunzipSync(readFileSync(sample)).toString('utf8').trim().split('\n').slice(0, 4);
    const header = rows[0]!.split(',');
    const credit = header.indexOf('AMT_CREDIT');
    const broken = rows[3]!.split(',');
    broken[credit] = '12x';
    writeFileSync(csv, [...rows.slice(0, 3), broken.join(',')].join('\n'));
    const out = work('out.csv');
    const run = await runCli([
      'score',
      csv,
      '--model',
      '2',
      '--models-dir',
      models.modelsDir,
      '--format',
      'csv',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('line,row,id,probability,decision,served_by,model_version,error_code,error_message');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^2,1,,0\.\d+,(approve|refuse),champion,2,,$/);
    expect(lines[3]).toBe('4,3,,,,,,BAD_NUMBER,"AMT_CREDIT must be a number, got ""12x"" on line 4"');
    expect(run.stderr).toContain('ignored columns that are not schema fields: TARGET, prediction');
  });

  it('fails with one line when the input file does not exist', async () => {
    expectOneLineError(
      await runCli(['score', work('nope.jsonl'), '--models-dir', models.modelsDir]),
      /input file .*nope\.jsonl does not exist/,
    );
  });

  it('rejects an unknown --format', async () => {
    writeFileSync(work('a.jsonl'), '{}\n');
    const run = await runCli(['score', work('a.jsonl'), '--format', 'xml', '--models-dir', models.modelsDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/option '--format <format>' argument 'xml' is invalid\. expected one of jsonl, csv/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a --model that is neither an alias, a version nor a package directory', async () => {
    writeFileSync(work('a.jsonl'), '{}\n');
    expectOneLineError(
      await runCli(['score', work('a.jsonl'), '--model', 'gold', '--models-dir', models.modelsDir]),
      /cannot load model "gold": .*unknown model "gold"/,
    );
  });

  it('asks for --input-format when the file name does not tell the format', async () => {
    writeFileSync(work('a.txt'), '{}\n');
    expectOneLineError(
      await runCli(['score', work('a.txt'), '--models-dir', models.modelsDir]),
      /use --input-format csv\|jsonl/,
    );
  });

  it('stops with one error naming the required columns a CSV header lacks', async () => {
    writeFileSync(work('short.csv'), 'AMT_CREDIT,CODE_GENDER\n12,M\n13,F\n');
    expectOneLineError(
      await runCli(['score', work('short.csv'), '--models-dir', models.modelsDir]),
      /cannot read .*short\.csv: the CSV header lacks the required columns SK_ID_CURR, NAME_CONTRACT_TYPE, .*AMT_INCOME_TOTAL/,
    );
  });

  it('stops with one line on a CSV whose quoting is broken', async () => {
    const sample = path.join(models.packageDir('1'), 'reference', 'sample.csv.gz');
    const header = gunzipSync(readFileSync(sample)).toString('utf8').split('\n')[0]!;
    writeFileSync(work('bad.csv'), `${header}\n"12,M\n`);
    expectOneLineError(
      await runCli(['score', work('bad.csv'), '--models-dir', models.modelsDir]),
      /cannot read .*bad\.csv: .*quote/i,
    );
  });
});
