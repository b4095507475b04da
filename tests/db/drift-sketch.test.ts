/**
 * Hourly drift sketches against the raw analysis of the same records: a store filled by the simulator, sketches
 * counted and summed by the stored-period analysis's sketch lane, PSI, chi-square and Jensen–Shannon compared with
 * its exact lane over the period's raw columns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  analyseStoredPeriod,
  buildSketches,
  type DriftAnalysis,
  type StoredPeriodAnalysis,
} from '../../core/analysis/index.ts';
import { loadModelPackage, type LogRecord, type ModelPackage } from '../../core/contract/index.ts';
import { ingestRecords } from '../../core/ingest/index.ts';
import { resolveModel } from '../../core/registry/index.ts';
import { generateTraffic, type ScenarioName } from '../../core/simulate/index.ts';
import { DriftSketchTable, openStore, type Store } from '../../db/index.ts';
import { FIXTURE_MODELS } from '../electron/helpers.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 10, 1);
const SKETCHED = ['psi', 'chi2', 'jensen_shannon'] as const;

let pkg: ModelPackage;
let dir: string;
let file: string;
let store: Store;
let sketches: DriftSketchTable;

beforeAll(async () => {
  pkg = await loadModelPackage((await resolveModel(FIXTURE_MODELS, 'champion')).dir);
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-sketch-'));
  file = join(dir, 'store.sqlite');
  store = openStore(file, { readThreads: 1 });
  sketches = new DriftSketchTable(store.db);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function traffic(
  scenario: ScenarioName,
  options: { days?: number; rows?: number; seed?: number; start?: string } = {},
) {
  return generateTraffic({
    days: options.days ?? 2,
    rows: options.rows ?? 2400,
    seed: options.seed ?? 7,
    scenario,
    schema: pkg.schema,
    ...(options.start ? { start: options.start } : {}),
  });
}

async function fill(records: Iterable<LogRecord>, name = 'sim'): Promise<void> {
  await ingestRecords(store, records, name);
}

function raw(from: number, to: number): Promise<StoredPeriodAnalysis> {
  return analyseStoredPeriod(store, null, { model: pkg, range: { from, to }, window: 'auto' });
}

function sketched(from: number, to: number): Promise<StoredPeriodAnalysis> {
  return analyseStoredPeriod(store, sketches, { model: pkg, range: { from, to }, window: 'auto', lane: 'sketch' });
}

function close(actual: number | null | undefined, expected: number | null | undefined): void {
  if (expected === null || expected === undefined) {
    expect(actual ?? null).toBe(expected ?? null);
    return;
  }
  expect(actual).toBeTypeOf('number');
  const tolerance = Math.max(1e-12, Math.abs(expected) * 1e-12);
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance);
}

/** Every count-based statistic, verdict input, data-quality share and window of `a` equals those of `b`. */
function expectSameCountStatistics(a: DriftAnalysis, b: DriftAnalysis): void {
  expect(a.current.rows).toBe(b.current.rows);
  expect(a.current.from).toBe(b.current.from);
  expect(a.current.to).toBe(b.current.to);
  const all = (x: DriftAnalysis) => (x.prediction ? [...x.fields, x.prediction] : x.fields);
  expect(all(a).map((f) => f.name)).toEqual(all(b).map((f) => f.name));
  const rawFields = new Map(all(b).map((f) => [f.name, f]));
  for (const field of all(a)) {
    const expected = rawFields.get(field.name)!;
    for (const method of SKETCHED) {
      close(field.methods[method]?.statistic, expected.methods[method]?.statistic);
      close(field.methods[method]?.pValue, expected.methods[method]?.pValue);
      expect(field.methods[method]?.drifted).toBe(expected.methods[method]?.drifted);
    }
    expect(field.currentCount).toBe(expected.currentCount);
    expect(field.currentMissing).toBe(expected.currentMissing);
    expect(field.quality.outOfRangeCount).toBe(expected.quality.outOfRangeCount);
    close(field.quality.currentMissingRate, expected.quality.currentMissingRate);
    close(field.quality.outOfRangeShare, expected.quality.outOfRangeShare);
    expect(field.quality.unseenCategories).toEqual(expected.quality.unseenCategories);
    expect(field.distribution.labels).toEqual(expected.distribution.labels);
    field.distribution.current.forEach((share, i) => close(share, expected.distribution.current[i]));
  }
  expect(a.windows.map((w) => [w.start, w.count])).toEqual(b.windows.map((w) => [w.start, w.count]));
  a.windows.forEach((w, k) => {
    for (const [name, field] of Object.entries(w.fields)) {
      for (const method of SKETCHED) {
        close(field.methods[method]?.statistic, b.windows[k]!.fields[name]!.methods[method]?.statistic);
      }
      close(field.missingRate, b.windows[k]!.fields[name]!.missingRate);
    }
    close(w.prediction?.methods.psi?.statistic, b.windows[k]!.prediction?.methods.psi?.statistic);
  });
}

describe('hourly drift sketches', () => {
  it('give the raw analysis statistics for a period of whole hours', async () => {
    await fill(traffic('gradual-drift'));
    const from = START;
    const to = START + 2 * DAY;
    const analysis = await sketched(from, to);
    expect(analysis.current.rows).toBeGreaterThan(1000);
    expectSameCountStatistics(analysis, await raw(from, to));
    expect(analysis.pending).toEqual(['ks', 'wasserstein']);
  });

  it('give the raw analysis statistics for a period that starts and ends inside hours', async () => {
    await fill(traffic('sudden-shift', { days: 3 }));
    const from = START + 5 * HOUR + 17 * 60_000 + 123;
    const to = START + 2 * DAY + 9 * HOUR + 41 * 60_000;
    expectSameCountStatistics(await sketched(from, to), await raw(from, to));
    const within = [START + DAY + 3 * HOUR + 60_000, START + DAY + 3 * HOUR + 50 * 60_000] as const;
    expectSameCountStatistics(await sketched(...within), await raw(...within));
  });

  it('are counted once and then read back from the store by a fresh analyser', async () => {
    await fill(traffic('stable'));
    const from = START;
    const to = START + 2 * DAY;
    await sketched(from, to);
    const stored = store.db.prepare('SELECT count(*) FROM drift_sketch').pluck().get() as number;
    expect(stored).toBe(48);
    sketches = new DriftSketchTable(store.db);
    expectSameCountStatistics(await sketched(from, to), await raw(from, to));
    expect(store.db.prepare('SELECT count(*) FROM drift_sketch').pluck().get()).toBe(stored);
  });

  it('count an hour again when a late import added records to it', async () => {
    await fill(traffic('stable'));
    const from = START;
    const to = START + 2 * DAY;
    await sketched(from, to);
    const hour = START / HOUR + 10;
    const before = store.db.prepare('SELECT records, built_at FROM drift_sketch WHERE hour = ?').get(hour) as {
      records: number;
    };
    const late = [...traffic('sudden-shift', { days: 2, seed: 99 })]
      .filter((r) => Math.floor(Date.parse(r.ts) / HOUR) === hour)
      .map((r) => ({ ...r, request_id: `late-${r.request_id}` }));
    expect(late.length).toBeGreaterThan(0);
    await fill(late, 'late');
    const analysis = await sketched(from, to);
    const after = store.db.prepare('SELECT records FROM drift_sketch WHERE hour = ?').get(hour) as { records: number };
    expect(after.records).toBeGreaterThan(before.records);
    expectSameCountStatistics(analysis, await raw(from, to));
  });

  it('count categories outside the schema by name and report them as unseen', async () => {
    const records = [...traffic('stable')].map((r, i) =>
      r.status === 'ok' && r.input && i % 7 === 0 ? { ...r, input: { ...r.input, NAME_INCOME_TYPE: 'Gig worker' } } : r,
    );
    await fill(records);
    const from = START + 30 * 60_000;
    const to = START + 2 * DAY;
    const analysis = await sketched(from, to);
    const income = analysis.fields.find((f) => f.name === 'NAME_INCOME_TYPE')!;
    expect(income.quality.unseenCategories.map((u) => u.category)).toEqual(['Gig worker']);
    expect(income.quality.outOfRangeShare).toBeGreaterThan(0.1);
    expectSameCountStatistics(analysis, await raw(from, to));
  });

  it('answer a period without scored records with no records and no windows', async () => {
    await fill(traffic('stable'));
    const analysis = await sketched(START + 10 * DAY, START + 11 * DAY);
    expect(analysis.current.rows).toBe(0);
    expect(analysis.windows).toEqual([]);
  });

  it('count an hour whose rollup is out of step with its records once, not on every request', async () => {
    await fill(traffic('stable'));
    const hour = START / HOUR + 7;
    store.db.prepare('UPDATE rollup_hour SET ok = ok + 3 WHERE hour = ?').run(hour);
    let steps = 0;
    for (let remaining = true; remaining && steps < 100; steps++) {
      ({ remaining } = await buildSketches(store, sketches, pkg, 8));
    }
    expect(steps).toBe(6);
    const builtAt = () => store.db.prepare('SELECT built_at FROM drift_sketch WHERE hour = ?').pluck().get(hour);
    const first = builtAt();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await sketched(START, START + 2 * DAY);
    expect(builtAt()).toBe(first);
  });
});
