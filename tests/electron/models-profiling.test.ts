import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../electron/backend/api/methods.ts';
import { createServices, type Services } from '../../electron/backend/services.ts';
import type { ConsoleEvent, MethodInput, MethodName, MethodOutput } from '../../console-api/types.ts';
import { writeFileSync } from 'node:fs';
import { FIXTURE_MODELS, logRecord, tempConsole } from './helpers.ts';

describe('Models and Profiling over the real backend', () => {
  let fixture: ReturnType<typeof tempConsole>;
  let services: Services;
  let events: ConsoleEvent[];
  let registryFile: string;

  beforeEach(() => {
    fixture = tempConsole();
    const modelsDir = join(fixture.dir, 'models');
    cpSync(FIXTURE_MODELS, modelsDir, { recursive: true });
    registryFile = join(modelsDir, 'registry.json');
    events = [];
    services = createServices({ ...fixture.config, modelsDir }, null, (event) => events.push(event));
  });

  afterEach(() => {
    services.close();
    fixture.cleanup();
  });

  const api = () => createDispatcher(METHODS, services, (event) => events.push(event));
  /** Calls a method that must succeed and returns its typed value. */
  const value = async <M extends MethodName>(method: M, input: MethodInput<M>, id: string = method) => {
    const result = await api().call(id, method, input);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as MethodOutput<M>;
  };

  it('lists every registered version with its aliases, lineage and calibration bins', async () => {
    const result = await value('listModels', {});
    expect(result.versions.map((v) => v.version)).toEqual(['1', '2', '3']);
    const champion = result.versions.find((v) => v.aliases.includes('champion'))!;
    expect(champion.lineage.runId).toBeTruthy();
    expect(result.reloadRule).toMatch(/Restart/);
  });

  it('leaves the registry unchanged when a promotion has no reason', async () => {
    const before = readFileSync(registryFile, 'utf8');
    const result = await api().call('p', 'changeAlias', {
      action: 'promote',
      alias: 'champion',
      version: '2',
      reason: '  ',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'reason' }] } });
    expect(readFileSync(registryFile, 'utf8')).toBe(before);
  });

  it('leaves the registry unchanged when the version to promote does not exist', async () => {
    const before = readFileSync(registryFile, 'utf8');
    const result = await api().call('p', 'changeAlias', {
      action: 'promote',
      alias: 'champion',
      version: '9',
      reason: 'try',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!result.ok) expect(result.error.message).toMatch(/no version "9"/);
    expect(readFileSync(registryFile, 'utf8')).toBe(before);
  });

  it('promotes with a reason, records who and why, and rolls back to the previous version', async () => {
    const start = JSON.parse(readFileSync(registryFile, 'utf8')) as {
      models: Record<string, { aliases: Record<string, string> }>;
    };
    const champion = start.models['fixture-credit']!.aliases.champion!;
    const other = champion === '1' ? '2' : '1';
    const promoted = await api().call('p', 'changeAlias', {
      action: 'promote',
      alias: 'champion',
      version: other,
      reason: 'better calibrated',
    });
    expect(promoted).toMatchObject({
      ok: true,
      value: { action: 'promote', from: champion, to: other, reason: 'better calibrated' },
    });
    const after = await value('listModels', {});
    expect(after.versions.find((v) => v.version === other)!.aliases).toContain('champion');
    expect(after.history.at(-1)).toMatchObject({
      action: 'promote',
      alias: 'champion',
      reason: 'better calibrated',
    });
    const rolled = await api().call('r', 'changeAlias', {
      action: 'rollback',
      alias: 'champion',
      reason: 'regression',
    });
    expect(rolled).toMatchObject({ ok: true, value: { action: 'rollback', from: other, to: champion } });
  });

  it('saves a finished profiling run with the machine it ran on, and can export its report', async () => {
    const run = await value(
      'runProfile',
      {
        models: ['1'],
        providers: ['cpu', 'coreml'],
        batchSizes: [1, 8],
        workers: [1],
        durationS: 0.05,
      },
      'run-1',
    );
    expect(events.some((event) => event.type === 'progress' && event.operationId === 'run-1')).toBe(true);
    const saved = await value('getProfileRun', { id: run.id });
    expect(saved.result.machine.cores).toBeGreaterThan(0);
    expect(saved.result.rows.filter((row) => row.provider === 'coreml').every((row) => row.status !== 'ok')).toBe(true);
    const exported = await value('exportProfileReport', { id: run.id, format: 'html' });
    expect(exported.content).toContain('Vigie optimisation report');
  });

  it('saves nothing when a profiling run is cancelled', async () => {
    const dispatcher = api();
    const running = dispatcher.call('run-2', 'runProfile', {
      models: ['1', '2'],
      providers: ['cpu'],
      batchSizes: [1, 8, 64],
      workers: [1],
      durationS: 1,
    });
    while (!events.some((event) => event.type === 'progress' && event.operationId === 'run-2'))
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await dispatcher.call('c', 'cancel', { operationId: 'run-2' })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await running).toMatchObject({ ok: false, error: { code: 'OPERATION_CANCELLED' } });
    expect(await dispatcher.call('l', 'listProfileRuns', {})).toEqual({ ok: true, value: { runs: [] } });
  });

  it('splits the API\u2019s logged latency per hour and prices the inference time', async () => {
    const start = Date.UTC(2026, 10, 20);
    const lines = Array.from({ length: 120 }, (_, i) =>
      JSON.stringify(logRecord(i, start + i * 60_000, { latency_ms: { total: 4, queue: 1, inference: 2 } })),
    );
    const file = join(fixture.dir, 'split.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(await api().call('i', 'importFiles', { paths: [file] })).toMatchObject({ ok: true });
    const split = await value('apiSplit', { prices: { coreHour: 3.6, gpuHour: 0, currency: 'EUR' } });
    expect(split.hours).toEqual([
      { hour: start, requests: 60, queue_ms: 1, inference_ms: 2, total_ms: 4 },
      { hour: start + 3_600_000, requests: 60, queue_ms: 1, inference_ms: 2, total_ms: 4 },
    ]);
    // 120 requests × 2 ms = 0.24 core-seconds at 3.6 EUR per core-hour = 0.00024 EUR.
    expect(split.cost.cost).toBeCloseTo(0.00024, 10);
    expect(split.cost.costPer1000).toBeCloseTo(0.002, 10);
  });
});
