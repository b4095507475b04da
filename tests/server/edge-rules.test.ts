import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { keyId } from '../../server/auth.ts';
import {
  ADMIN_KEY,
  SCORING_KEY,
  auth,
  fakeServer,
  readRecords,
  removeDir,
  tempDir,
  validApplicant,
} from './helpers.ts';

let dir = '';
let app: FastifyInstance | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
  removeDir(dir);
});

async function start(env: Record<string, string> = {}, options = {}) {
  dir = tempDir();
  app = await fakeServer(dir, options, env);
  return app;
}

function score(server: FastifyInstance, headers: Record<string, string> = auth(), payload: unknown = validApplicant()) {
  return server.inject({ method: 'POST', url: '/v1/score', headers, payload: payload as object });
}

describe('authentication', () => {
  it('answers 401 UNAUTHENTICATED with a Bearer challenge when no key is sent', async () => {
    const response = await score(await start(), {});
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED', request_id: response.headers['x-request-id'] });
  });

  it.each([['Bearer not-a-known-key-0123456789'], ['Basic dXNlcjpwYXNz'], [`Bearer ${SCORING_KEY}x`], [SCORING_KEY]])(
    'answers 401 for the Authorization header %s',
    async (header) => {
      const response = await score(await start(), { authorization: header });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('UNAUTHENTICATED');
    },
  );

  it('answers 403 FORBIDDEN to a scoring key on an admin route and 200 to an admin key', async () => {
    const server = await start();
    const forbidden = await server.inject({ method: 'GET', url: '/v1/logs', headers: auth(SCORING_KEY) });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('FORBIDDEN');
    const allowed = await server.inject({ method: 'GET', url: '/v1/logs', headers: auth(ADMIN_KEY) });
    expect(allowed.statusCode).toBe(200);
  });

  it('lets an admin key score too', async () => {
    expect((await score(await start(), auth(ADMIN_KEY))).statusCode).toBe(200);
  });

  it('logs the key id as client and never the key itself', async () => {
    const server = await start();
    await score(server);
    await score(server, { authorization: 'Bearer wrong-key-0123456789abc' });
    await server.close();
    app = null;
    const records = readRecords(path.join(dir, 'logs'));
    expect(records.map((r) => r.client)).toEqual([keyId(SCORING_KEY), null]);
    for (const name of readdirSync(path.join(dir, 'logs'))) {
      const text = readFileSync(path.join(dir, 'logs', name), 'utf8');
      expect(text).not.toContain(SCORING_KEY);
      expect(text).not.toContain('wrong-key-0123456789abc');
    }
  });
});

describe('request ids', () => {
  it('echoes a valid X-Request-Id and uses it in the body and the log record', async () => {
    const server = await start();
    const response = await score(server, { ...auth(), 'x-request-id': 'client-req.42:a_b' });
    expect(response.headers['x-request-id']).toBe('client-req.42:a_b');
    expect(response.json().request_id).toBe('client-req.42:a_b');
    await server.close();
    app = null;
    expect(readRecords(path.join(dir, 'logs'))[0]!.request_id).toBe('client-req.42:a_b');
  });

  it('refuses an invalid X-Request-Id with 400 INVALID_REQUEST_ID and a generated id', async () => {
    const response = await score(await start(), { ...auth(), 'x-request-id': 'has spaces/and slashes' });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('INVALID_REQUEST_ID');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates a distinct id for each request without one', async () => {
    const server = await start();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i += 1) ids.add((await score(server)).json().request_id);
    expect(ids.size).toBe(5);
  });
});

describe('rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a key spends its budget, and counts keys apart', async () => {
    const server = await start({ VIGIE_RATE_LIMIT_MAX: '2', VIGIE_RATE_LIMIT_WINDOW_MS: '60000' });
    expect((await score(server)).statusCode).toBe(200);
    expect((await score(server)).statusCode).toBe(200);
    const limited = await score(server);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await score(server, auth(ADMIN_KEY))).statusCode).toBe(200);
  });

  it('limits requests without a valid key per address, apart from the keys', async () => {
    const server = await start({ VIGIE_RATE_LIMIT_MAX: '2', VIGIE_RATE_LIMIT_WINDOW_MS: '60000' });
    const bad = { authorization: 'Bearer guessed-key-0123456789' };
    expect((await score(server, bad)).statusCode).toBe(401);
    expect((await score(server, {})).statusCode).toBe(401);
    const limited = await score(server, bad);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect((await score(server)).statusCode).toBe(200);
  });

  it('does not rate-limit the health probe', async () => {
    const server = await start({ VIGIE_RATE_LIMIT_MAX: '1' });
    for (let i = 0; i < 3; i += 1)
      expect((await server.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('bodies', () => {
  it('answers 413 BODY_TOO_LARGE past the body limit', async () => {
    const server = await start({ VIGIE_BODY_LIMIT: '1024' });
    const response = await score(server, auth(), validApplicant({ NAME_CONTRACT_TYPE: 'x'.repeat(2000) }));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'BODY_TOO_LARGE', message: expect.stringContaining('1024') });
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/xml']])(
    'answers 415 UNSUPPORTED_MEDIA_TYPE to %s',
    async (type) => {
      const response = await (
        await start()
      ).inject({
        method: 'POST',
        url: '/v1/score',
        headers: { ...auth(), 'content-type': type },
        payload: 'a=1',
      });
      expect(response.statusCode).toBe(415);
      expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    },
  );
});

describe('load shedding and failures', () => {
  it('sheds with 503 OVERLOADED and Retry-After when the engine queue is over its limit', async () => {
    const server = await start({ VIGIE_MAX_QUEUE: '10' }, { queueDepth: 10 });
    const response = await score(server);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json().code).toBe('OVERLOADED');
  });

  it("maps the engine's own OverloadedError to 503 OVERLOADED", async () => {
    const response = await score(await start({}, { mode: 'overloaded' }));
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('OVERLOADED');
  });

  it('answers an unexpected failure with 500 INTERNAL_ERROR carrying the request id and no internals', async () => {
    const response = await score(await start({}, { mode: 'crash' }));
    expect(response.statusCode).toBe(500);
    const body = response.json();
    expect(body).toEqual({
      code: 'INTERNAL_ERROR',
      message: expect.any(String),
      request_id: response.headers['x-request-id'],
    });
    expect(response.body).not.toMatch(/boom|secret internals|at .*\.ts/);
  });

  it('answers 404 NOT_FOUND in the catalogue format for an unknown route', async () => {
    const response = await (await start()).inject({ method: 'GET', url: '/v2/nothing' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_FOUND');
  });
});
