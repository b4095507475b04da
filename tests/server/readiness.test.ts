import { rmSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { auth, fakeServer, readRecords, removeDir, tempDir, validApplicant } from './helpers.ts';

let dir = '';
let app: FastifyInstance | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
  removeDir(dir);
});

async function start(options = {}, env: Record<string, string> = {}) {
  dir = tempDir();
  app = await fakeServer(dir, options, env);
  return app;
}

describe('health and readiness', () => {
  it('is alive and ready once the models are loaded and the log folder is writable', async () => {
    const server = await start();
    expect((await server.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({
      status: 'ok',
      replica: 'test-0',
    });
    const ready = await server.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ready: true, reasons: [] });
  });

  it('is alive but not ready while the models load, and refuses to score with MODEL_NOT_READY', async () => {
    const server = await start({ load: 'never' });
    expect((await server.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const ready = await server.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().reasons).toEqual(['models are loading']);
    const scored = await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant(),
    });
    expect(scored.statusCode).toBe(503);
    expect(scored.json()).toMatchObject({ code: 'MODEL_NOT_READY', message: expect.stringContaining('loading') });
    const [record] = readRecords(path.join(dir, 'logs'));
    expect(record).toMatchObject({
      status: 'error',
      http_status: 503,
      applicant_ref: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('names the load failure in /ready when the models cannot be loaded', async () => {
    const server = await start({ load: 'fail' });
    const ready = await server.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().reasons[0]).toBe('models failed to load: model.onnx: invalid protobuf');
    expect((await server.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('reports a failing log write in /ready and /metrics and keeps scoring', async () => {
    const server = await start();
    rmSync(path.join(dir, 'logs'), { recursive: true });
    const scored = await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant(),
    });
    expect(scored.statusCode).toBe(200);
    const ready = await server.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().reasons.join('; ')).toMatch(/not writable.*last log write failed \(ENOENT\)/);
    const metrics = (await server.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('vigie_log_write_errors_total{code="ENOENT"} 1');
    expect(metrics).toContain('vigie_ready 0');
  });

  it('refuses new scoring with 503 SHUTTING_DOWN and reports it in /ready while draining', async () => {
    const server = await start();
    server.vigie.shuttingDown = true;
    const scored = await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant(),
    });
    expect(scored.statusCode).toBe(503);
    expect(scored.headers.connection).toBe('close');
    expect(scored.json().code).toBe('SHUTTING_DOWN');
    expect((await server.inject({ method: 'GET', url: '/ready' })).json().reasons).toEqual(['shutting down']);
    expect(readRecords(path.join(dir, 'logs'))[0]).toMatchObject({ status: 'rejected', http_status: 503 });
  });

  it('reports a log disk below its free-space floor', async () => {
    const server = await start({}, { VIGIE_LOG_MIN_FREE_BYTES: String(Number.MAX_SAFE_INTEGER) });
    const ready = await server.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().reasons[0]).toMatch(/^log disk is full/);
  });
});

describe('GET /v1/model', () => {
  it('describes the served models, their thresholds and the input schema', async () => {
    const response = await (await start()).inject({ method: 'GET', url: '/v1/model', headers: auth() });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.ready).toBe(true);
    expect(body.models[0]).toMatchObject({ role: 'champion', name: 'fixture-credit', version: '1', threshold: 0.2 });
    expect(body.input_schema.properties).toHaveProperty('AMT_INCOME_TOTAL');
  });

  it('answers 503 MODEL_NOT_READY with the reason while no model is loaded', async () => {
    const response = await (await start({ load: 'fail' })).inject({ method: 'GET', url: '/v1/model', headers: auth() });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      code: 'MODEL_NOT_READY',
      message: expect.stringContaining('invalid protobuf'),
    });
  });

  it('needs a key', async () => {
    expect((await (await start()).inject({ method: 'GET', url: '/v1/model' })).statusCode).toBe(401);
  });
});

describe('GET /metrics', () => {
  it('exposes every metric family the service documents', async () => {
    const server = await start();
    await server.inject({ method: 'POST', url: '/v1/score', headers: auth(), payload: validApplicant() });
    await server.inject({
      method: 'POST',
      url: '/v1/score/batch',
      headers: auth(),
      payload: { applicants: [validApplicant()] },
    });
    const text = (await server.inject({ method: 'GET', url: '/metrics' })).body;
    for (const name of [
      'vigie_http_request_duration_seconds_bucket{le="0.005",route="/v1/score",method="POST",status_code="200"}',
      'vigie_http_requests_in_flight',
      'vigie_request_batch_size_count 1',
      'vigie_probability_count{served_by="champion"} 2',
      'vigie_decisions_total{decision="approve",served_by="champion"} 2',
      'vigie_log_records_total 2',
      'vigie_model_info{role="champion",name="fixture-credit",version="1",alias="champion",kind="fake",provider="cpu"} 1',
      'vigie_engine_queue_depth 0',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(name);
    }
  });
});
