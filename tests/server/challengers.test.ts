/**
 * Shadow and canary on the real engine and the fixture model packages (tests/fixtures/models): version 3 throws at
 * run time for AMT_CREDIT in [4e6, 5e6) and stalls for AMT_CREDIT >= 1e8 (see generate.py there). The primary
 * answers must be the same whatever the shadow does. Latencies are printed, never asserted.
 */
import { cpSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildServer } from '../../server/app.ts';
import { canaryArm } from '../../server/canary-arm.ts';
import { engineLoader } from '../../server/engine-loader.ts';
import { createPseudonymiser } from '../../server/request-record.ts';
import { auth, HASH_KEY, readRecords, removeDir, tempDir, testConfig, validApplicant } from './helpers.ts';

const FIXTURE_MODELS = fileURLToPath(new URL('../fixtures/models', import.meta.url));
const THROWING_CREDIT = 4_200_000;
const SLOW_CREDIT = 2e11;

let dir = '';
let app: FastifyInstance | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
  removeDir(dir);
});

async function start(env: Record<string, string>, models = FIXTURE_MODELS): Promise<FastifyInstance> {
  dir ||= tempDir();
  const config = testConfig(dir, {
    VIGIE_MODELS_DIR: models,
    VIGIE_CHAMPION: '1',
    VIGIE_FALLBACK: '2',
    VIGIE_WORKERS: '1',
    VIGIE_SHADOW_DEADLINE_MS: '100',
    ...env,
  });
  app = await buildServer(config, { loadEngine: engineLoader(config), logger: false });
  await app.vigie.engine.settled();
  await app.vigie.challengers.settled();
  return app;
}

async function scoreMany(server: FastifyInstance, credits: number[]) {
  const answers: Array<{ status: number; body: Record<string, unknown>; ms: number }> = [];
  for (const [i, credit] of credits.entries()) {
    const started = performance.now();
    const response = await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant({ SK_ID_CURR: 200_000 + i, AMT_CREDIT: credit }),
    });
    answers.push({ status: response.statusCode, body: response.json(), ms: performance.now() - started });
  }
  return answers;
}

function p99(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.ceil(sorted.length * q) - 1]!.toFixed(2);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`;
}

async function metrics(server: FastifyInstance): Promise<string> {
  return (await server.inject({ method: 'GET', url: '/metrics' })).body;
}

function expectPrimaryUntouched(answers: Awaited<ReturnType<typeof scoreMany>>): void {
  expect(answers.every((a) => a.status === 200)).toBe(true);
  expect(answers.every((a) => a.body.served_by === 'champion' && a.body.degraded === false)).toBe(true);
}

const credits = (n: number, credit: number) => Array.from({ length: n }, () => credit);

describe('shadow mode', () => {
  it('logs the shadow answer beside the served one and counts it', async () => {
    const server = await start({ VIGIE_SHADOW_MODEL: '2' });
    const answers = await scoreMany(server, credits(20, 400_000));
    expectPrimaryUntouched(answers);
    await server.close();
    app = null;
    const records = readRecords(path.join(dir, 'logs'));
    expect(records).toHaveLength(20);
    for (const record of records) {
      expect(record.shadow).toMatchObject({ model: { name: 'fixture-credit', version: '2' } });
      expect(typeof (record.shadow as { probability: number }).probability).toBe('number');
    }
  });

  it('keeps the primary answers whole when the shadow throws, counting the errors', async () => {
    const baseline = await scoreMany(await start({}), credits(40, THROWING_CREDIT));
    await app!.close();
    const server = await start({ VIGIE_SHADOW_MODEL: '3' });
    const answers = await scoreMany(server, credits(40, THROWING_CREDIT));
    expectPrimaryUntouched(answers);
    console.log(
      `shadow throws: primary ${p99(answers.map((a) => a.ms))} vs ${p99(baseline.map((a) => a.ms))} without shadow (load ${os.loadavg()[0]!.toFixed(1)})`,
    );
    expect(await metrics(server)).toMatch(/vigie_shadow_errors_total\{code="SHADOW_(FAILED|BREAKER_OPEN)"\} \d+/);
    expect((await server.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    await server.close();
    app = null;
    const records = readRecords(path.join(dir, 'logs')).filter((r) => r.shadow !== undefined);
    expect(records).toHaveLength(40);
    expect(
      records.every((r) => r.served_by === 'champion' && typeof (r.shadow as { error?: string }).error === 'string'),
    ).toBe(true);
  });

  it('keeps the primary answers whole when the shadow hangs, recording its timeouts', async () => {
    const baseline = await scoreMany(await start({}), credits(6, SLOW_CREDIT));
    await app!.close();
    const server = await start({ VIGIE_SHADOW_MODEL: '3' });
    const answers = await scoreMany(server, credits(6, SLOW_CREDIT));
    expectPrimaryUntouched(answers);
    console.log(
      `shadow hangs: primary ${p99(answers.map((a) => a.ms))} vs ${p99(baseline.map((a) => a.ms))} without shadow (load ${os.loadavg()[0]!.toFixed(1)})`,
    );
    expect((await server.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    // The answers left before the shadow missed its deadline: wait for the hung worker's replacement to be counted.
    await vi.waitFor(async () => expect(await metrics(server)).toMatch(/vigie_shadow_worker_restarts_total [1-9]/), {
      timeout: 30_000,
      interval: 100,
    });
    await server.close();
    app = null;
    const records = readRecords(path.join(dir, 'logs')).filter((r) => r.shadow !== undefined);
    expect(records).toHaveLength(6);
    expect(records.some((r) => (r.shadow as { error?: string }).error === 'SHADOW_TIMEOUT')).toBe(true);
  });

  it('stays ready and answers when the shadow model is corrupt at start, counting the failure and the drops', async () => {
    dir = tempDir();
    const models = path.join(dir, 'models');
    cpSync(FIXTURE_MODELS, models, { recursive: true });
    writeFileSync(path.join(models, 'fixture-credit', '3', 'model.onnx'), 'this is not an ONNX graph');
    const server = await start({ VIGIE_SHADOW_MODEL: '3' }, models);
    const answers = await scoreMany(server, credits(10, 400_000));
    expectPrimaryUntouched(answers);
    expect((await server.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    const text = await metrics(server);
    expect(text).toContain('vigie_shadow_errors_total{code="SHADOW_LOAD_FAILED"} 1');
    expect(text).toContain('vigie_shadow_dropped_total{reason="unavailable"} 10');
    const model = await server.inject({ method: 'GET', url: '/v1/model', headers: auth() });
    expect(model.json().challengers[0]).toMatchObject({ role: 'shadow', ref: '3' });
    expect(model.json().challengers[0].failure).toMatch(/model\.onnx/);
    await server.close();
    app = null;
    expect(readRecords(path.join(dir, 'logs')).every((r) => r.shadow === undefined)).toBe(true);
  });

  it('drops shadow work past its queue bound and counts the drops', async () => {
    const server = await start({
      VIGIE_SHADOW_MODEL: '3',
      VIGIE_SHADOW_MAX_QUEUE: '1',
      VIGIE_SHADOW_DEADLINE_MS: '2000',
    });
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        server.inject({
          method: 'POST',
          url: '/v1/score',
          headers: auth(),
          payload: validApplicant({ SK_ID_CURR: 300_000 + i, AMT_CREDIT: SLOW_CREDIT }),
        }),
      ),
    );
    expect(responses.every((r) => r.statusCode === 200 && r.json().served_by === 'champion')).toBe(true);
    expect(await metrics(server)).toMatch(/vigie_shadow_dropped_total\{reason="queue_full"\} [1-9]/);
  });

  it('scores only the sampled share', async () => {
    const server = await start({ VIGIE_SHADOW_MODEL: '2', VIGIE_SHADOW_SAMPLE: '0' });
    expectPrimaryUntouched(await scoreMany(server, credits(5, 400_000)));
    expect(await metrics(server)).not.toMatch(/vigie_shadow_scored_total\{[^}]*\} [1-9]/);
  });
});

describe('canary', () => {
  it('sends the configured share of 10 000 applicants to the challenger, within one point, sticky', () => {
    const pseudonymise = createPseudonymiser(HASH_KEY);
    let challenger = 0;
    for (let id = 1; id <= 10_000; id += 1) {
      const ref = pseudonymise(100_000 + id);
      const arm = canaryArm(ref, 5);
      if (arm === 'challenger') challenger += 1;
      expect(canaryArm(pseudonymise(100_000 + id), 5)).toBe(arm);
    }
    expect(Math.abs(challenger / 10_000 - 0.05)).toBeLessThanOrEqual(0.01);
  });

  it('answers from the arm of each applicant and says so in the response, the log and the metrics', async () => {
    const server = await start({ VIGIE_CANARY: '3:30' });
    const ids = Array.from({ length: 60 }, (_, i) => 400_000 + i);
    const first = [];
    for (const id of ids) {
      const response = await server.inject({
        method: 'POST',
        url: '/v1/score',
        headers: auth(),
        payload: validApplicant({ SK_ID_CURR: id }),
      });
      first.push(response.json());
    }
    const arms = new Set(first.map((body) => body.arm));
    expect(arms).toEqual(new Set(['champion', 'challenger']));
    for (const body of first) {
      expect(body.model.version).toBe(body.arm === 'challenger' ? '3' : '1');
      expect(body.served_by).toBe(body.arm);
    }
    const again = await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant({ SK_ID_CURR: ids[0] }),
    });
    expect(again.json().arm).toBe(first[0].arm);
    expect(await metrics(server)).toMatch(/vigie_canary_answers_total\{arm="challenger",served_by="challenger"\} \d+/);
    const thrown = await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant({
        SK_ID_CURR: ids[first.findIndex((b) => b.arm === 'challenger')],
        AMT_CREDIT: THROWING_CREDIT,
      }),
    });
    expect(thrown.json()).toMatchObject({ arm: 'challenger', served_by: 'fallback', degraded: true });
    await server.close();
    app = null;
    const records = readRecords(path.join(dir, 'logs'));
    expect(records.slice(0, 60).map((r) => r.arm)).toEqual(first.map((b) => b.arm));
    expect(records.at(-1)).toMatchObject({ arm: 'challenger', served_by: 'fallback' });
  });

  it('splits a batch between the arms', async () => {
    const server = await start({ VIGIE_CANARY: '3:50' });
    const applicants = Array.from({ length: 40 }, (_, i) => validApplicant({ SK_ID_CURR: 500_000 + i }));
    const response = await server.inject({
      method: 'POST',
      url: '/v1/score/batch',
      headers: auth(),
      payload: { applicants },
    });
    const results = response.json().results as Array<{ arm: string; model: { version: string } }>;
    expect(new Set(results.map((r) => r.arm))).toEqual(new Set(['champion', 'challenger']));
    expect(results.every((r) => r.model.version === (r.arm === 'challenger' ? '3' : '1'))).toBe(true);
  });

  it('refuses a malformed VIGIE_CANARY with the expected form', () => {
    expect(() => testConfig(tempDir(), { VIGIE_CANARY: 'challenger' })).toThrow(
      /VIGIE_CANARY must be <model>:<percent/,
    );
    expect(() => testConfig(tempDir(), { VIGIE_CANARY: 'challenger:150' })).toThrow(/at most 100/);
    expect(() => testConfig(tempDir(), { VIGIE_SHADOW_SAMPLE: '1.5' })).toThrow(
      /VIGIE_SHADOW_SAMPLE must be a share from 0 to 1/,
    );
  });
});
