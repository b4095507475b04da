/**
 * The simulator's scenarios, analysed as the console would: each injection is found at its fields and period, and
 * the stable week raises nothing at the default thresholds. Records go straight into column arrays (no database).
 *
 * Simulated logs carry the simulator's stand-in probability, not the trained champion's, so prediction drift against
 * the package reference is expected there and is checked separately (against a stable simulated week).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeDrift,
  detectAnomalies,
  driftConfig,
  driftFields,
  firstDriftedWindows,
  loadPackageReference,
  referenceFromColumns,
  type DriftAnalysis,
  type DriftReference,
} from '../../../core/analysis/index.ts';
import { loadModelPackage, type ModelPackage } from '../../../core/contract/index.ts';
import { resolveModel } from '../../../core/registry/index.ts';
import { generateTraffic, type ScenarioName } from '../../../core/simulate/index.ts';
import { recordsToColumns } from './traffic-columns.ts';

const MODELS = fileURLToPath(new URL('../../../models', import.meta.url));
const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 1);
/** Seven days, the middle day k = 3 (2026-11-04), where the "middle" injections start. */
const DAYS = 7;
const MIDDLE = START + 3 * DAY;
const ROWS = 28_000;

let pkg: ModelPackage;
let reference: DriftReference;

const simulated = new Map<string, ReturnType<typeof recordsToColumns>>();

/** Simulated columns, generated once per scenario and seed (the analysis never changes them). */
function simulate(scenario: ScenarioName, seed = 11) {
  const key = `${scenario}/${seed}`;
  if (!simulated.has(key)) {
    simulated.set(
      key,
      recordsToColumns(
        generateTraffic({ days: DAYS, rows: ROWS, seed, scenario, schema: pkg.schema }),
        driftFields(pkg.schema.fields),
      ),
    );
  }
  return simulated.get(key)!;
}

function analyse(scenario: ScenarioName): DriftAnalysis {
  return analyzeDrift({ reference, current: simulate(scenario).columns, config: driftConfig(), window: 'day' });
}

function driftedByDay(analysis: DriftAnalysis): Map<number, string[]> {
  return new Map(
    analysis.windows.map((w) => [
      w.start,
      Object.entries(w.fields)
        .filter(([, f]) => f.drifted)
        .map(([name]) => name),
    ]),
  );
}

beforeAll(async () => {
  pkg = await loadModelPackage((await resolveModel(MODELS, 'champion')).dir);
  reference = await loadPackageReference(pkg);
});

describe('scenario analysis against the champion reference', () => {
  it('stable: no field, no window and not the data set drifts over 7 days at the default thresholds', () => {
    const analysis = analyse('stable');
    expect(analysis.driftedFields).toEqual([]);
    expect(analysis.datasetDrift).toBe(false);
    expect(analysis.windows).toHaveLength(DAYS);
    expect(analysis.windows.flatMap((w) => Object.entries(w.fields).filter(([, f]) => f.drifted))).toEqual([]);
    expect(analysis.fields.filter((f) => Math.abs(f.quality.missingRateChange) >= 0.05)).toEqual([]);
  });

  it('stable: the operational data raises no warning or critical finding', () => {
    const { operational } = simulate('stable');
    const result = detectAnomalies(operational, {}, { from: START, to: START + DAYS * DAY });
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('gradual-drift: AMT_INCOME_TOTAL and EXT_SOURCE_2 drift, growing with time', () => {
    const analysis = analyse('gradual-drift');
    expect(analysis.driftedFields).toEqual(expect.arrayContaining(['AMT_INCOME_TOTAL', 'EXT_SOURCE_2']));
    const byDay = driftedByDay(analysis);
    expect(byDay.get(START)).toEqual([]);
    expect(byDay.get(START + 6 * DAY)).toEqual(expect.arrayContaining(['AMT_INCOME_TOTAL', 'EXT_SOURCE_2']));
    const psi = analysis.windows.map((w) => w.fields.AMT_INCOME_TOTAL!.methods.psi!.statistic);
    expect(psi[6]!).toBeGreaterThan(psi[1]!);
  });

  it('sudden-shift: the shifted fields drift from the middle day on, and not before', () => {
    const analysis = analyse('sudden-shift');
    const byDay = driftedByDay(analysis);
    for (const [start, drifted] of byDay) {
      if (start < MIDDLE) expect(drifted, new Date(start).toISOString()).toEqual([]);
      else {
        expect(drifted, new Date(start).toISOString()).toEqual(
          expect.arrayContaining(['NAME_CONTRACT_TYPE', 'DAYS_BIRTH', 'DAYS_EMPLOYED', 'NAME_INCOME_TYPE']),
        );
      }
    }
    expect(analysis.windows.find((w) => w.start === MIDDLE)!.datasetDrift).toBe(false);
    const since = firstDriftedWindows(analysis);
    for (const name of ['NAME_CONTRACT_TYPE', 'DAYS_BIRTH', 'DAYS_EMPLOYED']) expect(since.get(name)).toBe(MIDDLE);
    expect(analysis.driftedFields).toEqual(expect.arrayContaining(['NAME_CONTRACT_TYPE', 'DAYS_BIRTH']));
  });

  it('data-quality: EXT_SOURCE_3 goes missing and an unseen income type appears from the middle day', () => {
    const analysis = analyse('data-quality');
    const ext3 = analysis.fields.find((f) => f.name === 'EXT_SOURCE_3')!;
    expect(ext3.quality.missingRateChange).toBeGreaterThan(0.3);
    for (const w of analysis.windows) {
      const missing = w.fields.EXT_SOURCE_3!.missingRate;
      if (w.start < MIDDLE) expect(missing).toBeLessThan(0.5);
      else expect(missing).toBeGreaterThan(0.95);
    }
    const income = analysis.fields.find((f) => f.name === 'NAME_INCOME_TYPE')!;
    expect(income.quality.unseenCategories.map((u) => u.category)).toEqual(['Self-employed']);
    const { operational } = simulate('data-quality');
    const invalid = detectAnomalies(operational, { window: 'day' }).findings.filter(
      (f) => f.metric === 'invalid_rate' && f.severity !== 'info',
    );
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid.every((f) => f.start >= MIDDLE)).toBe(true);
  });

  it('incident: latency, errors and fallbacks are flagged at 14:00 UTC on the middle day only', () => {
    const { operational } = simulate('incident');
    const findings = detectAnomalies(operational, {}, { from: START, to: START + DAYS * DAY }).findings.filter(
      (f) => f.severity !== 'info',
    );
    const incidentHour = MIDDLE + 14 * 3_600_000;
    expect(new Set(findings.map((f) => f.start))).toEqual(new Set([incidentHour]));
    expect(findings.map((f) => f.metric)).toEqual(
      expect.arrayContaining(['latency_p95', 'latency_p99', 'error_rate', 'fallback_rate']),
    );
    expect(findings.find((f) => f.metric === 'error_rate')!.severity).toBe('critical');
    expect(analyse('incident').driftedFields).toEqual([]);
  });
});

describe('period against period', () => {
  it('a stable week compared with another stable week shows no drift, prediction included', () => {
    const before = simulate('stable', 21).columns;
    const after = simulate('stable', 22).columns;
    const analysis = analyzeDrift({
      reference: referenceFromColumns(before, 'previous week', 'period'),
      current: after,
      config: driftConfig(),
    });
    expect(analysis.driftedFields).toEqual([]);
    expect(analysis.prediction?.drifted).toBe(false);
  });

  it('a shifted week compared with a stable one shows the shift, prediction included', () => {
    const before = simulate('stable', 21).columns;
    const after = simulate('sudden-shift', 22).columns;
    const reference = referenceFromColumns(before, 'previous week', 'period');
    const analysis = analyzeDrift({ reference, current: after, config: driftConfig(), window: 'day' });
    expect(analysis.windows.at(-1)!.fields.DAYS_BIRTH!.drifted).toBe(true);
    expect(path.basename(reference.label)).toBe('previous week');
  });
});
