/**
 * The Drift page's data through the console API over the real backend: the first answer comes from hourly sketches
 * with KS and Wasserstein pending, `wait` completes it, and a Drift request goes before queued background counting.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../electron/backend/api/methods.ts';
import type { DriftFieldResult, DriftResult } from '../../console-api/types.ts';
import { AnalysisClient } from '../../electron/backend/analysis-client.ts';
import { createServices } from '../../electron/backend/services.ts';
import type { LogRecord } from '../../core/contract/index.ts';
import { ingestRecords } from '../../core/ingest/index.ts';
import { openStore } from '../../db/index.ts';
import { useConsoleServices } from '../helpers/console-services.ts';
import { FIXTURE_MODELS, logRecord, tempConsole, writeLogFile } from './helpers.ts';

const HOUR = 3_600_000;
/** writeLogFile's first record time. */
const START = Date.UTC(2026, 10, 20);

describe('drift from hourly sketches', () => {
  const ctx = useConsoleServices();

  const api = () => createDispatcher(METHODS, ctx.services, () => undefined);

  async function call<T>(method: 'drift' | 'driftField', input: unknown): Promise<T> {
    const result = await api().call('x', method, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  }

  it('answers with PSI at once and KS and Wasserstein pending, then complete when asked to wait', async () => {
    await api().call('i', 'importFiles', { paths: [writeLogFile(ctx.fixture.dir, 'a.jsonl', 300)] });
    const range = { from: START, to: START + 5 * HOUR };
    const first = await call<DriftResult>('drift', { range });
    const income = first.fields.find((row) => row.field === 'AMT_INCOME_TOTAL')!;
    expect(income.method).toBe('psi');
    expect(income.statistic).toBeGreaterThan(0);
    const complete = await call<DriftResult>('drift', { range, wait: true });
    expect(complete.pending).toEqual([]);
    const done = complete.fields.find((row) => row.field === 'AMT_INCOME_TOTAL')!;
    expect(done).toMatchObject({ pending: false, statistic: income.statistic });
    expect(done.methods.map((m) => m.method)).toEqual(['psi', 'ks', 'wasserstein']);
    const gender = complete.fields.find((row) => row.field === 'CODE_GENDER')!;
    expect(gender.methods.map((m) => m.method)).toEqual(['chi2', 'jensen_shannon']);
  });

  it('shows a KS primary method as pending until the raw analysis is in', async () => {
    await api().call('i', 'importFiles', { paths: [writeLogFile(ctx.fixture.dir, 'a.jsonl', 240)] });
    const range = { from: START + 30 * 60_000, to: START + 4 * HOUR };
    const first = await call<DriftResult>('drift', { range, methods: { number: 'ks' } });
    const income = first.fields.find((row) => row.field === 'AMT_INCOME_TOTAL')!;
    expect(first.pending).toEqual(['ks', 'wasserstein']);
    expect(income).toMatchObject({ method: 'ks', statistic: null, pending: true });
    const complete = await call<DriftResult>('drift', { range, methods: { number: 'ks' }, wait: true });
    const done = complete.fields.find((row) => row.field === 'AMT_INCOME_TOTAL')!;
    expect(done).toMatchObject({ method: 'ks', pending: false });
    expect(done.statistic).toBeGreaterThan(0);
    expect(done.pValue).not.toBeNull();
  });

  it('serves field details from the sketches, with the distribution of every record', async () => {
    await api().call('i', 'importFiles', { paths: [writeLogFile(ctx.fixture.dir, 'a.jsonl', 180)] });
    const detail = await call<DriftFieldResult>('driftField', { field: 'CODE_GENDER', range: {} });
    expect(detail).toMatchObject({ field: 'CODE_GENDER', kind: 'category', method: 'jensen_shannon', pending: false });
    expect(detail.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(detail.series.length).toBeGreaterThan(0);
  });
});

describe('drift when KS and Wasserstein cannot be computed', () => {
  it('keeps the sketch answer and says why', async () => {
    const fixture = tempConsole();
    const models = join(fixture.dir, 'models');
    cpSync(FIXTURE_MODELS, models, { recursive: true });
    // The profile alone serves the sketches; KS and Wasserstein need the sample, which is now unreadable.
    writeFileSync(join(models, 'fixture-credit', '1', 'reference', 'sample.csv.gz'), 'not gzip');
    const services = createServices({ ...fixture.config, modelsDir: models }, null, () => undefined);
    try {
      const api = createDispatcher(METHODS, services, () => undefined);
      await api.call('i', 'importFiles', { paths: [writeLogFile(fixture.dir, 'a.jsonl', 120)] });
      const result = await api.call('d', 'drift', { wait: true });
      expect(result).toMatchObject({ ok: true, value: { pending: [], currentCount: 120 } });
      const value = (result as { value: DriftResult }).value;
      expect(value.pendingError).toMatch(/sample/);
      expect(value.fields.find((row) => row.field === 'AMT_INCOME_TOTAL')).toMatchObject({
        method: 'psi',
        pending: false,
      });
    } finally {
      services.close();
      fixture.cleanup();
    }
  });
});

describe('analysis lanes', () => {
  let fixture: ReturnType<typeof tempConsole>;
  let client: AnalysisClient;
  let dbPath: string;

  /** A store filled without the backend, so nothing counts its sketches before the test does. */
  beforeEach(async () => {
    fixture = tempConsole();
    client = new AnalysisClient();
    dbPath = fixture.config.dbPath;
    const store = openStore(dbPath);
    await ingestRecords(
      store,
      Array.from({ length: 600 }, (_, i) => logRecord(i, START + i * 60_000) as unknown as LogRecord),
      'test',
    );
    store.close();
  });

  afterEach(async () => {
    await client.close();
    fixture.cleanup();
  });

  const storedHours = () => {
    const store = openStore(dbPath, { readonly: true });
    const hours = store.db.prepare('SELECT count(*) FROM drift_sketch').pluck().get();
    store.close();
    return hours;
  };

  it('counts every stored hour in the background, a few at a time', async () => {
    expect(storedHours()).toBe(0);
    expect(await client.buildSketches({ dbPath, modelsDir: FIXTURE_MODELS, maxHours: 3 })).toEqual({ counted: 10 });
    expect(storedHours()).toBe(10);
  });

  it('answers a Drift page request before background counting queued ahead of it is done', async () => {
    const order: string[] = [];
    const build = client
      .buildSketches({ dbPath, modelsDir: FIXTURE_MODELS, maxHours: 1 })
      .then(() => order.push('build'));
    const drift = client
      .period({ dbPath, modelsDir: FIXTURE_MODELS, from: START, to: START + HOUR, lane: 'sketch' })
      .then(() => order.push('drift'));
    await Promise.all([build, drift]);
    expect(order).toEqual(['drift', 'build']);
  });
});
