import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine, EngineLoadError } from '../../../core/engine/index.ts';
import { readGolden, SLOW_CREDIT, THROWING_CREDIT, withCredit, useEngineFixture } from './fixture-models.ts';

const fx = useEngineFixture();

const firstApplicant = () => readGolden(fx.models.packageDir('1'))[0]!.input;

describe('engine faults', () => {
  it('answers with the fallback model, degraded and with the reason, when the champion throws', async () => {
    const fallbacks: string[] = [];
    const engine = await fx.createEngine({
      modelsDir: fx.models.modelsDir,
      champion: '3',
      workers: 1,
      observer: { fallback: (event) => fallbacks.push(`${event.from}->${event.to}`) },
    });
    const result = await engine.score(withCredit(firstApplicant(), THROWING_CREDIT));
    expect(result).toMatchObject({ served_by: 'fallback', degraded: true, model: { version: '2', alias: 'fallback' } });
    expect(result.reason).toMatch(/^champion: the model failed to run: .*Reshape/);
    expect(fallbacks).toEqual(['champion->fallback']);
    expect(engine.stats().served).toEqual({ champion: 0, fallback: 1, rules: 0 });
  });

  it('lets only the applicant the champion fails on fall back when it shares a micro-batch with others', async () => {
    const engine = await fx.createEngine({
      modelsDir: fx.models.modelsDir,
      champion: '3',
      workers: 1,
      maxBatchSize: 16,
    });
    const golden = readGolden(fx.models.packageDir('1')).slice(0, 16);
    const calls = golden.map((row, i) => engine.score(i === 5 ? withCredit(row.input, THROWING_CREDIT) : row.input));
    const results = await Promise.all(calls);
    expect(results.map((r) => r.served_by)).toEqual(golden.map((_, i) => (i === 5 ? 'fallback' : 'champion')));
    expect(engine.describe().models[0]!.breaker).toBe('closed');
  });

  it('sends only the rows the champion fails on down the chain when scoring a batch', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, champion: '3', workers: 2 });
    const golden = readGolden(fx.models.packageDir('1'));
    const applicants = golden.map((row, i) => (i === 37 ? withCredit(row.input, THROWING_CREDIT) : row.input));
    const results = await engine.scoreMany(applicants);
    expect(results.filter((r) => r.served_by === 'fallback').length).toBe(1);
    expect(results[37]).toMatchObject({ served_by: 'fallback', degraded: true });
    expect(results[37]!.reason).toMatch(/^champion: the model failed to run: .*Reshape/);
    results.forEach((result, i) => {
      if (i !== 37) expect(result.probability).toBeCloseTo(golden[i]!.expected_probability, 5);
    });
  });

  it('answers with the conservative rule when the champion throws and there is no fallback', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, champion: '3', fallback: null, workers: 1 });
    const applicant = {
      ...withCredit(firstApplicant(), THROWING_CREDIT),
      EXT_SOURCE_1: 0.9,
      EXT_SOURCE_2: 0.8,
      EXT_SOURCE_3: null,
    };
    const result = await engine.score(applicant);
    expect(result).toMatchObject({ served_by: 'rules', degraded: true, decision: 'approve', threshold: 0.35 });
    expect(result.probability).toBeCloseTo(0.15, 10);
    expect(result.model.name).toBe('conservative-rule');
    const weak = await engine.score({ ...applicant, EXT_SOURCE_1: null });
    expect(weak).toMatchObject({ served_by: 'rules', decision: 'refuse', probability: 1 });
  });

  it('falls back when the champion misses the per-call deadline', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, champion: '3', workers: 1 });
    const result = await engine.score(withCredit(firstApplicant(), SLOW_CREDIT), { deadlineMs: 40 });
    expect(result).toMatchObject({ served_by: 'fallback', degraded: true });
    expect(result.reason).toContain('no answer within the 40 ms deadline');
  });

  it('replaces a worker that dies mid-batch and retries the batch once on its replacement', async () => {
    const exits: number[] = [];
    const engine = await fx.createEngine({
      modelsDir: fx.models.modelsDir,
      champion: '3',
      workers: 1,
      deadlineMs: 60_000,
      observer: { workerExit: (event) => exits.push(event.worker) },
    });
    const pending = engine.score(withCredit(firstApplicant(), SLOW_CREDIT));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await engine.terminateWorker('champion', 0);
    const result = await pending;
    expect(result).toMatchObject({ served_by: 'champion', degraded: false });
    expect(exits).toEqual([0]);
    expect(engine.stats().workerRestarts).toBe(1);
    expect((await engine.score(firstApplicant())).served_by).toBe('champion');
  });

  it('falls back with the reason when a batch loses its worker a second time', async () => {
    const engine = await fx.createEngine({
      modelsDir: fx.models.modelsDir,
      champion: '3',
      workers: 1,
      deadlineMs: 60_000,
    });
    const pending = engine.score(withCredit(firstApplicant(), SLOW_CREDIT));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await engine.terminateWorker('champion', 0);
    while (!engine.describe().models[0]!.liveWorkers) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await engine.terminateWorker('champion', 0);
    const result = await pending;
    expect(result).toMatchObject({ served_by: 'fallback', degraded: true });
    expect(result.reason).toMatch(/^champion: inference worker 0 exited with code 1/);
  });

  it('rejects calls in flight with MODEL_NOT_READY when the engine closes, instead of answering by rule', async () => {
    const engine = await fx.createEngine({
      modelsDir: fx.models.modelsDir,
      champion: '3',
      workers: 1,
      deadlineMs: 60_000,
    });
    // The expectation is attached before closing: the call rejects during close(), and an unobserved rejection
    // would be reported as unhandled.
    const outcome = expect(engine.score(withCredit(firstApplicant(), SLOW_CREDIT))).rejects.toMatchObject({
      code: 'MODEL_NOT_READY',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await engine.close();
    await outcome;
  });

  it('fails to load a package whose model.onnx is corrupt, naming the file', async () => {
    writeFileSync(path.join(fx.models.packageDir('1'), 'model.onnx'), 'this is not an ONNX graph');
    const loading = createEngine({ modelsDir: fx.models.modelsDir, workers: 1 });
    await expect(loading).rejects.toBeInstanceOf(EngineLoadError);
    await expect(loading).rejects.toThrow(/fixture-credit\/1\/model\.onnx: ONNX Runtime cannot load the model/);
  });

  it('fails to load a package with a missing file, naming the file', async () => {
    rmSync(path.join(fx.models.packageDir('1'), 'input_schema.json'));
    await expect(createEngine({ modelsDir: fx.models.modelsDir, workers: 1 })).rejects.toThrow(
      /fixture-credit\/1\/input_schema\.json: file is missing/,
    );
  });

  it('fails to load a model whose warm-up run throws', async () => {
    const golden = path.join(fx.models.packageDir('3'), 'golden.jsonl');
    const [first, ...rest] = readFileSync(golden, 'utf8').split('\n');
    const record = JSON.parse(first!);
    record.input.AMT_CREDIT = THROWING_CREDIT;
    writeFileSync(golden, [JSON.stringify(record), ...rest].join('\n'));
    await expect(createEngine({ modelsDir: fx.models.modelsDir, champion: '3', workers: 1 })).rejects.toThrow(
      /model\.onnx: the warm-up run failed/,
    );
  });

  it('fails to load an unknown alias with the aliases and versions it knows', async () => {
    await expect(createEngine({ modelsDir: fx.models.modelsDir, champion: 'gold', workers: 1 })).rejects.toThrow(
      /unknown model "gold".*\(champion, fallback, challenger\).*\(1, 2, 3\)/,
    );
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, lets one probe through after openMs, and closes on success', async () => {
    let now = 0;
    const states: string[] = [];
    const engine = await fx.createEngine({
      modelsDir: fx.models.modelsDir,
      champion: '3',
      workers: 1,
      clock: () => now,
      breaker: { failureThreshold: 2, openMs: 1000 },
      observer: { breaker: (event) => states.push(`${event.role}:${event.state}`) },
    });
    const good = firstApplicant();
    const bad = withCredit(good, THROWING_CREDIT);
    await engine.score(bad);
    expect(states).toEqual([]);
    await engine.score(bad);
    expect(states).toEqual(['champion:open']);
    const whileOpen = await engine.score(good);
    expect(whileOpen.served_by).toBe('fallback');
    expect(whileOpen.reason).toContain('circuit breaker of fixture-credit 3 is open');
    now = 999;
    expect((await engine.score(good)).served_by).toBe('fallback');
    now = 1000;
    expect((await engine.score(good)).served_by).toBe('champion');
    expect(states).toEqual(['champion:open', 'champion:half_open', 'champion:closed']);
    expect(engine.describe().models[0]!.breaker).toBe('closed');
  });

  it('opens again when the half-open probe fails', async () => {
    let now = 0;
    const states: string[] = [];
    const engine = await fx.createEngine({
      modelsDir: fx.models.modelsDir,
      champion: '3',
      workers: 1,
      clock: () => now,
      breaker: { failureThreshold: 1, openMs: 500 },
      observer: { breaker: (event) => states.push(event.state) },
    });
    const bad = withCredit(firstApplicant(), THROWING_CREDIT);
    await engine.score(bad);
    now = 500;
    expect((await engine.score(bad)).served_by).toBe('fallback');
    expect(states).toEqual(['open', 'half_open', 'open']);
    now = 999;
    expect((await engine.score(firstApplicant())).reason).toContain('is open');
  });

  it('counts a timed-out call as a failure', async () => {
    const states: string[] = [];
    const engine = await fx.createEngine({
      modelsDir: fx.models.modelsDir,
      champion: '3',
      workers: 1,
      breaker: { failureThreshold: 1 },
      observer: { breaker: (event) => states.push(event.state) },
    });
    await engine.score(withCredit(firstApplicant(), SLOW_CREDIT), { deadlineMs: 20 });
    expect(states).toEqual(['open']);
  });
});
