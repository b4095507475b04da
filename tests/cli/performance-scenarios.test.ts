/**
 * The outcome loop end to end through the CLI, as a model-risk team would run it: simulate 14 days scored by the
 * champion, ingest the logs, import the outcomes, then `vigie performance` and `vigie check`. Concept drift from day
 * k = 7 (2026-11-08) must show in realised performance and an alert from that day on, while input drift stays quiet;
 * the stable scenario must raise nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertFinding } from '../../core/alerts/index.ts';
import type { PerformanceAnalysis } from '../../core/analysis/performance/index.ts';
import { runCli } from '../helpers/run-cli.ts';

const DAY_K = Date.parse('2026-11-08T00:00:00Z');
let dir: string;
const stores: Record<string, string> = {};

async function prepare(scenario: string, seed: number): Promise<string> {
  const out = join(dir, scenario);
  const db = join(dir, `${scenario}.sqlite`);
  const args = ['--days', '14', '--rows', '20000', '--seed', String(seed), '--scenario', scenario, '--out', out];
  const simulated = await runCli(['simulate', 'traffic', ...args, '--model', 'champion']);
  expect(simulated.code).toBe(0);
  expect((await runCli(['ingest', out, '--db', db, '--no-alerts'])).code).toBe(0);
  const labels = await runCli(['labels', 'import', join(out, 'outcomes.csv'), '--db', db, '--json']);
  expect(labels.code).toBe(0);
  expect(JSON.parse(labels.stdout)).toMatchObject({ conflicts: 0, unmatched: 0, quarantined: 0 });
  return db;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-performance-'));
  stores['concept-drift'] = await prepare('concept-drift', 21);
  stores.stable = await prepare('stable', 22);
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(db: string): Promise<{ code: number | null; findings: AlertFinding[]; driftEvaluated: boolean }> {
  const run = await runCli(['check', '--db', db, '--json']);
  const parsed = JSON.parse(run.stdout) as { findings: AlertFinding[]; driftEvaluated: boolean };
  return { code: run.code, ...parsed };
}

describe('concept drift', () => {
  it('shows in realised ROC AUC from day k, not before, while the CBPE estimate stays level', async () => {
    const run = await runCli(['performance', '--db', stores['concept-drift']!, '--json']);
    const analysis = JSON.parse(run.stdout) as PerformanceAnalysis;
    const before = analysis.windows.filter((w) => w.end <= DAY_K);
    const after = analysis.windows.filter((w) => w.start >= DAY_K);
    const mean = (ws: typeof before, pick: (w: (typeof before)[number]) => number | null | undefined) =>
      ws.reduce((s, w) => s + (pick(w) ?? 0), 0) / ws.length;
    const realisedBefore = mean(before, (w) => w.realised?.rocAuc);
    const realisedAfter = mean(after, (w) => w.realised?.rocAuc);
    expect(realisedBefore - realisedAfter).toBeGreaterThan(0.08);
    // CBPE sees only the probabilities, whose distribution does not change: it cannot see concept drift.
    expect(Math.abs(mean(before, (w) => w.estimated?.rocAuc) - mean(after, (w) => w.estimated?.rocAuc))).toBeLessThan(
      0.02,
    );
    expect(analysis.overall.coverage).toBeGreaterThan(0.85);
  });

  it('fires a realised AUC alert and a retraining recommendation from day k, with no drift alert', async () => {
    const { code, findings, driftEvaluated } = await check(stores['concept-drift']!);
    expect(code).toBe(1);
    expect(driftEvaluated).toBe(true);
    const drops = findings.filter((f) => f.rule === 'realised_auc_drop');
    expect(drops.length).toBeGreaterThan(3);
    expect(Math.min(...drops.map((f) => f.periodStart))).toBe(DAY_K);
    expect(findings.filter((f) => f.rule === 'drift_share' || f.rule === 'field_drift')).toEqual([]);
    const retrain = findings.find((f) => f.rule === 'retraining_recommended');
    expect(retrain?.periodStart).toBe(DAY_K);
    expect(retrain?.command).toMatch(/models\/training\/run\.sh/);
  });

  it('records the alerts as firing when the outcomes are imported', async () => {
    const db = stores['concept-drift']!;
    const again = await runCli(['labels', 'import', join(dir, 'concept-drift', 'outcomes.csv'), '--db', db]);
    expect(again.stdout).toMatch(/0 outcomes added/);
    const { default: Database } = await import('better-sqlite3');
    const sqlite = new Database(db, { readonly: true });
    const states = sqlite.prepare("SELECT DISTINCT state FROM alerts WHERE rule = 'realised_auc_drop'").pluck().all();
    sqlite.close();
    expect(states).toEqual(['firing']);
  });
});

describe('the report', () => {
  it("carries the period's realised and estimated performance", async () => {
    const out = join(dir, 'report.json');
    const run = await runCli(['report', '--db', stores['concept-drift']!, '--out', out]);
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { performance: PerformanceAnalysis | null };
    expect(report.performance?.windows).toHaveLength(14);
    expect(report.performance?.overall.realised?.rocAuc).toBeGreaterThan(0.5);
    expect(report.performance?.overall.estimated?.rocAuc).toBeGreaterThan(0.5);
  });
});

describe('stable', () => {
  it('raises no alert and passes the check', async () => {
    const { code, findings } = await check(stores.stable!);
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('check and performance input errors', () => {
  it('says the store is missing', async () => {
    const run = await runCli(['check', '--db', join(dir, 'nope.sqlite')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no such database/);
  });

  it('refuses a hash key given as anything but a readable key file', async () => {
    const file = join(dir, 'o.csv');
    writeFileSync(file, 'SK_ID_CURR,TARGET,observed_at\n1,1,2026-12-01T00:00:00Z\n');
    const db = join(dir, 'k.sqlite');
    const noKey = await runCli(['labels', 'import', file, '--db', db, '--key', 'SK_ID_CURR']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/--hash-key-file/);
    const missing = await runCli([
      'labels',
      'import',
      file,
      '--db',
      db,
      '--key',
      'SK_ID_CURR',
      '--hash-key-file',
      join(dir, 'absent'),
    ]);
    expect(missing.stderr).toMatch(/hash key file .* does not exist/);
    writeFileSync(join(dir, 'short'), 'abc\n');
    const short = await runCli([
      'labels',
      'import',
      file,
      '--db',
      db,
      '--key',
      'SK_ID_CURR',
      '--hash-key-file',
      join(dir, 'short'),
    ]);
    expect(short.stderr).toMatch(/holds no usable key/);
  });
});
