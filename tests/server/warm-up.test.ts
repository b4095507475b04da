/**
 * The request-path warm-up before /ready (decision 1614): it runs golden applicants through the real engine, is never
 * production traffic (no record, no request or engine metric), holds readiness back while it runs, and a failed
 * warm-up never keeps the API from serving.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../server/app.ts';
import { carriesSecret, warmUpSecret } from '../../server/warm-up.ts';
import { engineLoader } from '../../server/engine-loader.ts';
import { auth, fakeDeps, fakeEngine, readRecords, removeDir, tempDir, testConfig, validApplicant } from './helpers.ts';

const FIXTURE_MODELS = fileURLToPath(new URL('../fixtures/models', import.meta.url));

let dir = '';
let app: FastifyInstance | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
  removeDir(dir);
});

function sample(metrics: string, name: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) if (line.startsWith(name)) total += Number(line.split(' ').pop());
  return total;
}

describe('warm-up before /ready', () => {
  it('scores golden applicants on the real engine without a record or a metric, then serves', async () => {
    dir = tempDir();
    const config = testConfig(dir, {
      VIGIE_MODELS_DIR: FIXTURE_MODELS,
      VIGIE_WORKERS: '1',
      VIGIE_WARM_UP_REQUESTS: '400',
    });
    app = await buildServer(config, { loadEngine: engineLoader(config), logger: false });
    await app.vigie.engine.settled();
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    expect(app.vigie.engine.engine!.stats().served.champion).toBeGreaterThanOrEqual(400);
    const before = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(before, 'vigie_engine_batch_size_count')).toBe(0);
    expect(sample(before, 'vigie_decisions_total')).toBe(0);
    expect(sample(before, 'vigie_http_request_duration_seconds_count{route="/v1/score"')).toBe(0);
    expect(readRecords(config.logDir)).toEqual([]);

    const response = await app.inject({ method: 'POST', url: '/v1/score', headers: auth(), payload: validApplicant() });
    expect(response.statusCode).toBe(200);
    const after = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(after, 'vigie_engine_batch_size_count')).toBe(1);
    expect(sample(after, 'vigie_decisions_total')).toBe(1);
    expect(readRecords(config.logDir).map((record) => record.request_id)).toEqual([response.json().request_id]);
  });

  it('says "models are warming up" and refuses to score until the warm-up is done', async () => {
    dir = tempDir();
    const modelDir = path.join(dir, 'model');
    mkdirSync(modelDir);
    writeFileSync(path.join(modelDir, 'golden.jsonl'), `${JSON.stringify({ input: validApplicant() })}\n`);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const engine = fakeEngine();
    const describeModels = engine.describe();
    let calls = 0;
    const gated = {
      ...engine,
      describe: () => ({ ...describeModels, models: describeModels.models.map((m) => ({ ...m, dir: modelDir })) }),
      score: async (applicant: Parameters<typeof engine.score>[0]) => {
        calls += 1;
        await gate;
        return engine.score(applicant);
      },
    };
    app = await buildServer(testConfig(dir, { VIGIE_WARM_UP_REQUESTS: '50' }), {
      ...fakeDeps(),
      loadEngine: async () => gated,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().reasons).toContain('models are warming up');
    const refused = await app.inject({ method: 'POST', url: '/v1/score', headers: auth(), payload: validApplicant() });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'MODEL_NOT_READY', message: expect.stringContaining('warming up') });
    release();
    await app.vigie.engine.settled();
    expect(calls).toBe(50);
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('serves without a warm-up when VIGIE_WARM_UP_REQUESTS is 0, and after a warm-up that failed', async () => {
    dir = tempDir();
    let calls = 0;
    const engine = fakeEngine();
    const counting = { ...engine, score: (a: Parameters<typeof engine.score>[0]) => (calls++, engine.score(a)) };
    app = await buildServer(testConfig(dir, { VIGIE_WARM_UP_REQUESTS: '0' }), {
      ...fakeDeps(),
      loadEngine: async () => counting,
    });
    await app.vigie.engine.settled();
    expect(calls).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    await app.close();
    // The fake engine's model folder has no golden file: the warm-up fails and the API serves all the same.
    app = await buildServer(testConfig(dir), fakeDeps());
    await app.vigie.engine.settled();
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('sends its lone requests to POST /v1/score over loopback once listening, unrecorded and uncounted', async () => {
    dir = tempDir();
    const config = testConfig(dir, {
      VIGIE_MODELS_DIR: FIXTURE_MODELS,
      VIGIE_WORKERS: '1',
      VIGIE_WARM_UP_REQUESTS: '400',
    });
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
        callback();
      },
    });
    app = await buildServer(config, { loadEngine: engineLoader(config), logger: { level: 'info', stream } });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    // An outsider's guess at the warm-up token is an ordinary request with a wrong key: refused, and recorded.
    const score = (authorization: string) =>
      fetch(`${url}/v1/score`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify(validApplicant()),
      });
    const forged = await score(`Bearer ${'a'.repeat(32)}`);
    expect(forged.status).toBe(401);
    // As many characters as the token but more bytes (Node reads header bytes as Latin-1): refused the same way.
    const wide = await score(`Bearer ${'é'.repeat(32)}`);
    expect(wide.status).toBe(401);
    await app.vigie.engine.settled();
    const report = lines.find((line) => line.msg === 'request path warmed up')!;
    expect(report).toMatchObject({ requests: 400 });
    expect(report.overHttp).toBeGreaterThan(0);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(sample(metrics, 'vigie_decisions_total')).toBe(0);
    expect(sample(metrics, 'vigie_http_request_duration_seconds_count{route="/v1/score"')).toBe(2);
    expect(readRecords(config.logDir).map((record) => record.http_status)).toEqual([401, 401]);

    // After the warm-up no token but a key scores: the guess is refused and recorded as before.
    const after = await score(`Bearer ${'a'.repeat(32)}`);
    expect(after.status).toBe(401);
    const scored = await score(auth().authorization!);
    expect(scored.status).toBe(200);
    expect(readRecords(config.logDir).map((record) => record.http_status)).toEqual([401, 401, 401, 200]);
  });

  it('takes the warm-up token only as the exact bearer token, whatever the header holds', () => {
    const secret = warmUpSecret();
    expect(carriesSecret(`Bearer ${secret}`, secret)).toBe(true);
    expect(carriesSecret(`Bearer ${warmUpSecret()}`, secret)).toBe(false);
    expect(carriesSecret(`bearer ${secret}`, secret)).toBe(false);
    expect(carriesSecret(undefined, secret)).toBe(false);
    // As many characters as the token, more bytes: refused, not a comparison of buffers of different lengths.
    expect(carriesSecret(`Bearer ${'é'.repeat(secret.length)}`, secret)).toBe(false);
    expect(carriesSecret(`Bearer ${secret}`.padEnd(5000, 'x'), secret)).toBe(false);
  });
});
