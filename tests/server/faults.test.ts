/**
 * Fault tests on the real engine and the fixture model packages (tests/fixtures/models): version 3 throws at run time
 * for AMT_CREDIT in [4e6, 5e6) and stalls for AMT_CREDIT >= 1e8 (see generate.py there).
 */
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../server/app.ts';
import { engineLoader } from '../../server/engine-loader.ts';
import { auth, readRecords, removeDir, tempDir, testConfig, validApplicant } from './helpers.ts';

const FIXTURE_MODELS = fileURLToPath(new URL('../fixtures/models', import.meta.url));
const THROWING_CREDIT = 4_200_000;
// 2 000 rounds of the fixture's stalling MatMul: about 1.4 s on an idle core, far past the 250 ms test deadline.
const SLOW_CREDIT = 2e11;

let dir = '';
let app: FastifyInstance | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
  removeDir(dir);
});

async function start(env: Record<string, string>): Promise<FastifyInstance> {
  dir = tempDir();
  const config = testConfig(dir, {
    VIGIE_MODELS_DIR: FIXTURE_MODELS,
    VIGIE_WORKERS: '1',
    VIGIE_DEADLINE_MS: '150',
    ...env,
  });
  app = await buildServer(config, { loadEngine: engineLoader(config), logger: false });
  await app.vigie.engine.settled();
  return app;
}

function score(server: FastifyInstance, credit: number) {
  return server.inject({
    method: 'POST',
    url: '/v1/score',
    headers: auth(),
    payload: validApplicant({ AMT_CREDIT: credit }),
  });
}

describe('fallback chain', () => {
  it('answers from the fallback, marked degraded, when the champion throws or misses its deadline', async () => {
    const server = await start({ VIGIE_CHAMPION: '3', VIGIE_FALLBACK: '2' });
    expect((await score(server, 400_000)).json()).toMatchObject({ served_by: 'champion', degraded: false });
    const response = await score(server, THROWING_CREDIT);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ served_by: 'fallback', degraded: true, model: { version: '2' } });
    const metrics = (await server.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('vigie_fallbacks_total{from="champion",to="fallback"} 1');
    expect(metrics).toContain('vigie_degraded_answers_total{served_by="fallback"} 1');
    const record = readRecords(path.join(dir, 'logs')).at(-1)!;
    expect(record).toMatchObject({ served_by: 'fallback', degraded: true, status: 'ok' });
    expect(record.degraded_reason).toMatch(/^champion: /);

    const late = await score(server, SLOW_CREDIT);
    expect(late.statusCode).toBe(200);
    expect(late.json()).toMatchObject({ served_by: 'fallback', degraded: true });
  });

  it('answers with the conservative rule when champion and fallback both fail', async () => {
    const server = await start({ VIGIE_CHAMPION: '3', VIGIE_FALLBACK: '3' });
    const response = await score(server, THROWING_CREDIT);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ served_by: 'rules', degraded: true });
    expect((await server.inject({ method: 'GET', url: '/metrics' })).body).toContain(
      'vigie_fallbacks_total{from="fallback",to="rules"} 1',
    );
  });
});

describe('corrupt champion at start-up', () => {
  it('stays alive, is not ready with the reason, and refuses to score with MODEL_NOT_READY', async () => {
    dir = tempDir();
    const broken = path.join(dir, 'broken-champion');
    cpSync(path.join(FIXTURE_MODELS, 'fixture-credit', '1'), broken, { recursive: true });
    writeFileSync(path.join(broken, 'model.onnx'), 'this is not an ONNX graph');
    const config = testConfig(dir, {
      VIGIE_MODELS_DIR: FIXTURE_MODELS,
      VIGIE_CHAMPION: broken,
      VIGIE_FALLBACK: 'none',
      VIGIE_WORKERS: '1',
    });
    app = await buildServer(config, { loadEngine: engineLoader(config), logger: false });
    await app.vigie.engine.settled();

    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().reasons[0]).toMatch(/^models failed to load: .*model\.onnx/);
    const response = await score(app, 400_000);
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('MODEL_NOT_READY');
    expect(readRecords(path.join(dir, 'logs'))[0]).toMatchObject({ status: 'error', http_status: 503 });
  });
});
