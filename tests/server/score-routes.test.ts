import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { keyId } from '../../server/auth.ts';
import { SCORING_KEY, auth, fakeServer, readRecords, removeDir, tempDir, validApplicant } from './helpers.ts';

let dir = '';
let app: FastifyInstance | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
  removeDir(dir);
});

async function start(env: Record<string, string> = {}) {
  dir = tempDir();
  app = await fakeServer(dir, {}, env);
  return app;
}

describe('POST /v1/score', () => {
  it('answers the probability, decision, threshold, model, who served it and when', async () => {
    const response = await (
      await start()
    ).inject({ method: 'POST', url: '/v1/score', headers: auth(), payload: validApplicant() });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      request_id: response.headers['x-request-id'],
      probability: expect.any(Number),
      decision: 'approve',
      threshold: 0.2,
      model: { name: 'fixture-credit', version: '1', alias: 'champion' },
      served_by: 'champion',
      degraded: false,
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
  });

  it('gives a request without X-Request-Id a time-ordered UUIDv7, later requests later ids', async () => {
    const server = await start();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await server.inject({
        method: 'POST',
        url: '/v1/score',
        headers: auth(),
        payload: validApplicant(),
      });
      ids.push(response.json<{ request_id: string }>().request_id);
    }
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ms = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
      expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
  });

  it('has written the log record by the time the response is received', async () => {
    const server = await start();
    const response = await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant(),
    });
    const records = readRecords(path.join(dir, 'logs'));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      request_id: response.json().request_id,
      replica: 'test-0',
      route: '/v1/score',
      http_status: 200,
      status: 'ok',
      served_by: 'champion',
      output: { probability: response.json().probability, decision: 'approve', threshold: 0.2 },
      client: keyId(SCORING_KEY),
      error: null,
    });
    expect(records[0]!.latency_ms).toMatchObject({ total: expect.any(Number), queue: 0.1, inference: 0.2 });
  });

  it('pseudonymises SK_ID_CURR with a keyed hash and keeps it out of the logged input', async () => {
    const server = await start();
    await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant({ SK_ID_CURR: 456789 }),
    });
    await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant({ SK_ID_CURR: 456789 }),
    });
    const [first, second] = readRecords(path.join(dir, 'logs'));
    expect(first!.applicant_ref).toMatch(/^[0-9a-f]{32}$/);
    expect(second!.applicant_ref).toBe(first!.applicant_ref);
    expect(first!.input).not.toHaveProperty('SK_ID_CURR');
    expect(JSON.stringify(first)).not.toContain('456789');
    expect(first!.input).toMatchObject({ AMT_INCOME_TOTAL: 202500, CODE_GENDER: 'F' });
  });

  it('keeps SK_ID_CURR out of the record of a valid applicant that was shed', async () => {
    dir = tempDir();
    app = await fakeServer(dir, { queueDepth: 5000 }, { VIGIE_MAX_QUEUE: '10' });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant({ SK_ID_CURR: 424242 }),
    });
    expect(response.statusCode).toBe(503);
    const [record] = readRecords(path.join(dir, 'logs'));
    expect(record).toMatchObject({
      status: 'rejected',
      error: { code: 'OVERLOADED' },
      input: { AMT_INCOME_TOTAL: 202500 },
    });
    expect(record!.input).not.toHaveProperty('SK_ID_CURR');
    expect(JSON.stringify(record)).not.toContain('424242');
  });

  it('records a refused applicant as invalid with its issues and what could be read of it', async () => {
    const server = await start();
    await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant({ DAYS_BIRTH: 1825, EXTRA: 'x' }),
    });
    const [record] = readRecords(path.join(dir, 'logs'));
    expect(record).toMatchObject({ http_status: 400, status: 'invalid', output: null, input: { DAYS_BIRTH: 1825 } });
    expect(record!.input).not.toHaveProperty('EXTRA');
    expect(record!.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'DAYS_BIRTH' })]),
    });
  });

  it('records requests refused before their body was read as rejected', async () => {
    const server = await start();
    await server.inject({ method: 'POST', url: '/v1/score', payload: validApplicant() });
    const [record] = readRecords(path.join(dir, 'logs'));
    expect(record).toMatchObject({
      http_status: 401,
      status: 'rejected',
      input: null,
      client: null,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('does not write production records for operational routes', async () => {
    const server = await start();
    await server.inject({ method: 'GET', url: '/health' });
    await server.inject({ method: 'GET', url: '/ready' });
    await server.inject({ method: 'GET', url: '/metrics' });
    expect(readRecords(path.join(dir, 'logs'))).toEqual([]);
  });
});

describe('POST /v1/score/batch', () => {
  it('answers per item, in order, with results for valid applicants and errors for the others', async () => {
    const server = await start();
    const response = await server.inject({
      method: 'POST',
      url: '/v1/score/batch',
      headers: { ...auth(), 'x-request-id': 'batch-1' },
      payload: {
        applicants: [validApplicant(), validApplicant({ AMT_INCOME_TOTAL: 0 }), validApplicant({ SK_ID_CURR: 7 })],
      },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ request_id: 'batch-1', scored: 2, failed: 1 });
    expect(body.results.map((r: { ok: boolean; request_id: string }) => [r.request_id, r.ok])).toEqual([
      ['batch-1:0', true],
      ['batch-1:1', false],
      ['batch-1:2', true],
    ]);
    expect(body.results[1].error).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [expect.objectContaining({ path: 'AMT_INCOME_TOTAL' })],
    });
    expect(body.results[0]).toMatchObject({
      probability: expect.any(Number),
      decision: 'approve',
      served_by: 'champion',
    });
  });

  it('writes one record per applicant, tagged with the batch', async () => {
    const server = await start();
    await server.inject({
      method: 'POST',
      url: '/v1/score/batch',
      headers: { ...auth(), 'x-request-id': 'batch-2' },
      payload: { applicants: [validApplicant(), validApplicant({ CODE_GENDER: 'Q' })] },
    });
    const records = readRecords(path.join(dir, 'logs'));
    expect(records.map((r) => [r.request_id, r.status, r.http_status])).toEqual([
      ['batch-2:0', 'ok', 200],
      ['batch-2:1', 'invalid', 400],
    ]);
    expect(records[1]!.batch).toEqual({ id: 'batch-2', index: 1, size: 2 });
  });

  it.each([
    ['an empty list', { applicants: [] }],
    ['more applicants than the limit', { applicants: [validApplicant(), validApplicant(), validApplicant()] }],
    ['a bare array', [validApplicant()]],
    ['an extra key', { applicants: [validApplicant()], priority: 'high' }],
    ['applicants that is not a list', { applicants: validApplicant() }],
  ])('refuses %s with 400 BATCH_INVALID', async (_name, payload) => {
    const response = await (
      await start({ VIGIE_BATCH_MAX_ITEMS: '2' })
    ).inject({
      method: 'POST',
      url: '/v1/score/batch',
      headers: auth(),
      payload: payload as object,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'BATCH_INVALID',
      message: expect.stringContaining('1 to 2 applicants'),
    });
  });
});
