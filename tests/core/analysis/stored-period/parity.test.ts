/**
 * One store, three callers of core's stored-period analysis: `vigie drift --db --json`, `vigie report --out x.json`
 * and the console API's `drift` with `wait: true`. For whole hours, ragged ends and an empty period they must give
 * the same records compared, per-field statistics, verdicts, drift share and data quality.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftResult } from '../../../../console-api/types.ts';
import { loadModelPackage } from '../../../../core/contract/index.ts';
import { ingestRecords } from '../../../../core/ingest/index.ts';
import { resolveModel } from '../../../../core/registry/index.ts';
import { generateTraffic } from '../../../../core/simulate/index.ts';
import { openStore } from '../../../../db/index.ts';
import { createDispatcher } from '../../../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../../../electron/backend/api/methods.ts';
import { createServices, type Services } from '../../../../electron/backend/services.ts';
import { FIXTURE_MODELS, tempConsole } from '../../../electron/helpers.ts';
import { runCli } from '../../../helpers/run-cli.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 1);

interface Method {
  statistic: number | null;
  pValue: number | null;
  drifted: boolean;
}
interface Comparable {
  records: number;
  driftShare: number;
  datasetDrift: boolean;
  fields: Record<string, { drifted: boolean; methods: Record<string, Method> }>;
  quality: Record<string, { missingRate: number; outOfRangeShare: number; unseen: string[] }>;
}

const finite = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

type JsonMethods = Record<string, { statistic: number | null; p_value: number | null; drifted: boolean }>;
interface DriftJson {
  current: { rows: number };
  drift_share: number;
  dataset_drift: boolean;
  prediction: JsonMethods | null;
  prediction_drifted: boolean | null;
  fields: Record<string, { drifted: boolean; methods: JsonMethods }>;
  data_quality: Record<
    string,
    { current_missing_rate: number; out_of_range_share: number; unseen_categories: Array<{ category: string }> }
  >;
}

function fromJson(json: DriftJson): Comparable {
  const methods = (m: JsonMethods) =>
    Object.fromEntries(
      Object.entries(m).map(([name, r]) => [
        name,
        { statistic: finite(r.statistic), pValue: r.p_value, drifted: r.drifted },
      ]),
    );
  const fields = Object.fromEntries(
    Object.entries(json.fields).map(([name, f]) => [name, { drifted: f.drifted, methods: methods(f.methods) }]),
  );
  if (json.prediction) fields.prediction = { drifted: json.prediction_drifted!, methods: methods(json.prediction) };
  return {
    records: json.current.rows,
    driftShare: json.drift_share,
    datasetDrift: json.dataset_drift,
    fields,
    quality: Object.fromEntries(
      Object.entries(json.data_quality).map(([name, q]) => [
        name,
        {
          missingRate: q.current_missing_rate,
          outOfRangeShare: q.out_of_range_share,
          unseen: q.unseen_categories.map((u) => u.category),
        },
      ]),
    ),
  };
}

function fromConsole(result: DriftResult): Comparable {
  return {
    records: result.currentCount,
    driftShare: result.driftShare,
    datasetDrift: result.datasetDrift,
    fields: Object.fromEntries(
      result.fields.map((row) => [
        row.field,
        {
          drifted: row.drifted,
          methods: Object.fromEntries(
            row.methods.map((m) => [
              m.method,
              { statistic: finite(m.statistic), pValue: m.pValue, drifted: m.drifted },
            ]),
          ),
        },
      ]),
    ),
    quality: Object.fromEntries(
      result.quality.map((q) => [
        q.field,
        { missingRate: q.missingRate, outOfRangeShare: q.outOfRangeShare, unseen: q.unseenCategories },
      ]),
    ),
  };
}

let fixture: ReturnType<typeof tempConsole>;
let services: Services;

beforeAll(async () => {
  fixture = tempConsole();
  const pkg = await loadModelPackage((await resolveModel(FIXTURE_MODELS, 'champion')).dir);
  const store = openStore(fixture.config.dbPath);
  // Unknown categories (invalid records that keep their input) and missing values from the middle of the period.
  await ingestRecords(
    store,
    generateTraffic({ days: 3, rows: 6000, seed: 11, scenario: 'data-quality', schema: pkg.schema }),
    'sim',
  );
  store.close();
  services = createServices(fixture.config, null, () => undefined);
}, 120_000);

afterAll(() => {
  services?.close();
  fixture?.cleanup();
});

async function viaConsole(from: number, to: number): Promise<DriftResult> {
  const api = createDispatcher(METHODS, services, () => undefined);
  const result = await api.call('p', 'drift', { range: { from, to }, wait: true });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as DriftResult;
}

function periodFlags(from: number, to: number): string[] {
  return [
    '--db',
    fixture.config.dbPath,
    '--models-dir',
    FIXTURE_MODELS,
    '--from',
    new Date(from).toISOString(),
    '--to',
    new Date(to).toISOString(),
  ];
}

async function viaCli(from: number, to: number): Promise<DriftJson> {
  const run = await runCli(['drift', ...periodFlags(from, to), '--json']);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as DriftJson;
}

async function viaReport(from: number, to: number): Promise<DriftJson> {
  const out = join(mkdtempSync(join(tmpdir(), 'vigie-parity-')), 'report.json');
  try {
    const run = await runCli(['report', ...periodFlags(from, to), '--out', out]);
    expect(run.code).toBe(0);
    return (JSON.parse(readFileSync(out, 'utf8')) as { drift: DriftJson }).drift;
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}

describe('the analysis of a stored period', () => {
  const periods: Array<[string, number, number]> = [
    ['whole hours', START + 6 * HOUR, START + 54 * HOUR],
    ['ragged ends', START + 5 * HOUR + 17 * 60_000 + 321, START + 2 * 24 * HOUR + 9 * HOUR + 41 * 60_000],
  ];

  for (const [name, from, to] of periods) {
    it(`is the same from the CLI, the report and the console API for ${name}`, async () => {
      const [cli, report, console] = await Promise.all([viaCli(from, to), viaReport(from, to), viaConsole(from, to)]);
      const expected = fromJson(cli);
      expect(expected.records).toBeGreaterThan(1000);
      // The period holds invalid records whose unseen category data quality must show.
      expect(expected.quality.NAME_INCOME_TYPE!.unseen).toContain('Self-employed');
      expect(console.pending).toEqual([]);
      expect(fromJson(report)).toEqual(expected);
      expect(fromConsole(console)).toEqual(expected);
    }, 120_000);
  }

  it('says alike that an empty period has no records to compare', async () => {
    const from = START + 10 * 24 * HOUR;
    const to = from + 6 * HOUR;
    const cli = await runCli(['drift', ...periodFlags(from, to), '--json']);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/no scored records in the selected period/);
    const out = join(fixture.dir, 'empty.json');
    const report = await runCli(['report', ...periodFlags(from, to), '--out', out]);
    expect(report.stderr).toMatch(/no scored records in the selected period/);
    const console = await viaConsole(from, to);
    expect(console.currentCount).toBe(0);
    expect(console.driftShare).toBe(0);
    expect(console.fields.filter((f) => f.drifted)).toEqual([]);
  }, 60_000);
});
