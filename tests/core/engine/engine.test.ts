import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../core/engine/index.ts';
import { readGolden, useEngineFixture } from './fixture-models.ts';

const fx = useEngineFixture();

describe('scoring engine', () => {
  it('loads the champion and fallback aliases from the registry and describes them', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, workers: 1 });
    const description = engine.describe();
    expect(engine.ready).toBe(true);
    expect(description.models.map((m) => [m.role, m.version, m.alias])).toEqual([
      ['champion', '1', 'champion'],
      ['fallback', '2', 'fallback'],
    ]);
    const champion = description.models[0]!;
    expect(champion.provider).toBe('cpu');
    expect(champion.inputs).toEqual(['AMT_INCOME_TOTAL', 'AMT_CREDIT', 'EXT_SOURCE_2', 'CODE_GENDER']);
    expect(champion.outputs).toEqual(['probabilities']);
    expect(champion.breaker).toBe('closed');
    expect(champion.loadMs).toBeGreaterThan(0);
  });

  it('scores concurrent single applicants to within 1e-5 of the golden probabilities', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, workers: 2 });
    const golden = readGolden(fx.models.packageDir('1'));
    const results = await Promise.all(golden.map((row) => engine.score(row.input)));
    results.forEach((result, i) => {
      expect(Math.abs(result.probability - golden[i]!.expected_probability)).toBeLessThan(1e-5);
      expect(result.served_by).toBe('champion');
      expect(result.degraded).toBe(false);
      expect(result.decision).toBe(result.probability >= 0.2 ? 'refuse' : 'approve');
    });
  });

  it('scores a batch with scoreMany in input order, with an [N] output layout too', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, champion: '2', fallback: null, workers: 2 });
    const golden = readGolden(fx.models.packageDir('2'));
    const results = await engine.scoreMany(golden.map((row) => row.input));
    expect(results.map((r) => r.probability)).toEqual(
      golden.map((row) => expect.closeTo(row.expected_probability, 5) as unknown as number),
    );
    expect(results[0]!.model).toEqual({ name: 'fixture-credit', version: '2', alias: null });
  });

  it('loads a package directory without a registry', async () => {
    const engine = await fx.createEngine({
      modelsDir: '/nonexistent',
      champion: fx.models.packageDir('2'),
      workers: 1,
    });
    expect(engine.describe().models.map((m) => m.role)).toEqual(['champion']);
    const [row] = readGolden(fx.models.packageDir('2'));
    expect((await engine.score(row!.input)).probability).toBeCloseTo(row!.expected_probability, 5);
  });

  it('answers a repeated applicant from the cache and counts hits and misses', async () => {
    const seen: boolean[] = [];
    const engine = await fx.createEngine({
      modelsDir: fx.models.modelsDir,
      workers: 1,
      cacheSize: 10,
      observer: { cache: (hit) => seen.push(hit) },
    });
    const [row] = readGolden(fx.models.packageDir('1'));
    const first = await engine.score(row!.input);
    const second = await engine.score({ ...row!.input, SK_ID_CURR: 999999 });
    expect(first.cache_hit).toBe(false);
    expect(second.cache_hit).toBe(true);
    expect(second.probability).toBe(first.probability);
    expect(seen).toEqual([false, true]);
    expect(engine.stats().cache).toEqual({ hits: 1, misses: 1, size: 1 });
  });

  it('sheds load with OverloadedError when the queue is full', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, workers: 1, maxQueue: 2 });
    const golden = readGolden(fx.models.packageDir('1'));
    const calls = golden.slice(0, 5).map((row) => engine.score(row.input));
    const settled = await Promise.allSettled(calls);
    const rejected = settled.filter((s) => s.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected.length).toBe(3);
    expect(rejected[0]!.reason).toMatchObject({ name: 'OverloadedError', code: 'OVERLOADED' });
  });

  it('refuses to score after close with MODEL_NOT_READY', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, workers: 1, fallback: null });
    await engine.close();
    const [row] = readGolden(fx.models.packageDir('1'));
    expect(engine.ready).toBe(false);
    await expect(engine.score(row!.input)).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
  });

  it('rejects invalid options before loading anything', async () => {
    await expect(createEngine({ modelsDir: fx.models.modelsDir, workers: 0 })).rejects.toThrow(
      'workers must be a positive integer, got 0',
    );
    await expect(createEngine({ modelsDir: fx.models.modelsDir, maxWaitMs: -1 })).rejects.toThrow(
      'maxWaitMs must be >= 0',
    );
  });

  it('skips an unavailable execution provider with a logged reason and runs on cpu', async () => {
    const notes: string[] = [];
    const engine = await fx.createEngine({
      modelsDir: fx.models.modelsDir,
      workers: 1,
      fallback: null,
      providers: ['coreml', 'cpu'],
      log: (message) => notes.push(message),
    });
    const champion = engine.describe().models[0]!;
    expect(champion.provider).toBe('cpu');
    expect(champion.providersSkipped).toEqual([
      { provider: 'coreml', reason: expect.stringContaining('not available') },
    ]);
    expect(notes.join('\n')).toContain('skipped provider coreml');
  });
});
