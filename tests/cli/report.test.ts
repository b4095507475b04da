import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../core/contract/index.ts';
import { ingestRecords } from '../../core/ingest/index.ts';
import { generateTraffic } from '../../core/simulate/index.ts';
import { openStore } from '../../db/index.ts';
import { runCli } from '../helpers/run-cli.ts';

const PACKAGE = fileURLToPath(new URL('../../models/credit-default/1', import.meta.url));
const MODELS = fileURLToPath(new URL('../../models', import.meta.url));

let dir: string;
let db: string;

/** A store of four simulated days with an incident on day 2 (the middle day) and a sudden shift in a second store. */
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-cli-report-'));
  const pkg = await loadModelPackage(PACKAGE);
  db = path.join(dir, 'logs.sqlite');
  const store = openStore(db);
  try {
    await ingestRecords(
      store,
      generateTraffic({ days: 4, rows: 12_000, seed: 4, scenario: 'incident', schema: pkg.schema }),
      'sim',
    );
  } finally {
    store.close();
  }
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function expectOneLineError(run: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
}

describe('vigie report', () => {
  it('writes a self-contained HTML report with the incident among the findings', async () => {
    const out = path.join(dir, 'report.html');
    const run = await runCli(['report', '--db', db, '--out', out, '--models-dir', MODELS]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^wrote .*report\.html: 0 drifted fields, data-set drift no, \d+ operational findings/);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(html).toContain('2026-11-03 14:00–15:00 UTC');
  });

  it('writes the same content as JSON when the file ends in .json', async () => {
    const out = path.join(dir, 'report.json');
    const run = await runCli([
      'report',
      '--db',
      db,
      '--out',
      out,
      '--model-dir',
      PACKAGE,
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-05',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.verdict.dataset_drift).toBe(false);
    expect(report.model).toMatchObject({ name: 'credit-default', version: '1' });
    const critical = report.anomalies.findings.filter((f: { severity: string }) => f.severity === 'critical');
    expect(new Set(critical.map((f: { start: string }) => f.start))).toEqual(new Set(['2026-11-03T14:00:00.000Z']));
    expect(report.drift.windows).toHaveLength(4);
  });

  it('refuses an output file that is neither .html nor .json', async () => {
    expectOneLineError(
      await runCli(['report', '--db', db, '--out', path.join(dir, 'r.pdf')]),
      /--out must end in \.html or \.json/,
    );
  });

  it('refuses a database that does not exist', async () => {
    expectOneLineError(
      await runCli(['report', '--db', path.join(dir, 'missing.sqlite'), '--out', path.join(dir, 'r.html')]),
      /missing\.sqlite: no such database/,
    );
  });

  it('says when the period holds no record', async () => {
    expectOneLineError(
      await runCli([
        'report',
        '--db',
        db,
        '--out',
        path.join(dir, 'r.html'),
        '--model-dir',
        PACKAGE,
        '--from',
        '2027-01-01',
      ]),
      /no scored records in the selected period/,
    );
  });
});

describe('vigie drift --db', () => {
  it('compares stored records with the model reference and prints the contract JSON per window', async () => {
    const run = await runCli(['drift', '--db', db, '--model-dir', PACKAGE, '--window', 'day', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.columns.AMT_INCOME_TOTAL.ks).toHaveProperty('p_value');
    expect(out.columns.NAME_CONTRACT_TYPE.jensen_shannon.p_value).toBeNull();
    expect(out.drift_share).toBe(0);
    expect(out.dataset_drift).toBe(false);
    expect(out.windows.map((w: { start: string }) => w.start)).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-11-02T00:00:00.000Z',
      '2026-11-03T00:00:00.000Z',
      '2026-11-04T00:00:00.000Z',
    ]);
  });

  it('compares one period of the store with an earlier one', async () => {
    const run = await runCli([
      'drift',
      '--db',
      db,
      '--model',
      'champion',
      '--models-dir',
      MODELS,
      '--reference-from',
      '2026-11-01',
      '--reference-to',
      '2026-11-03',
      '--from',
      '2026-11-03',
      '--json',
      '--fail-on-drift',
    ]);
    const out = JSON.parse(run.stdout);
    expect(out.reference.source).toBe('period');
    expect(out.dataset_drift).toBe(false);
    expect(run.code).toBe(out.drifted_columns.length || out.prediction_drifted ? 1 : 0);
  });

  it('names an unknown model alias', async () => {
    expectOneLineError(
      await runCli(['drift', '--db', db, '--models-dir', MODELS, '--model', 'nightly']),
      /unknown model "nightly"/,
    );
  });

  it('refuses a file that is not a database', async () => {
    const notDb = path.join(dir, 'not.sqlite');
    writeFileSync(notDb, 'hello');
    expectOneLineError(await runCli(['drift', '--db', notDb, '--model-dir', PACKAGE]), /not\.sqlite/);
  });
});
