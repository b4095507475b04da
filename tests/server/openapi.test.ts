import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_DOCUMENT, fakeServer, removeDir, tempDir } from './helpers.ts';

let dir = '';
let app: FastifyInstance | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
  removeDir(dir);
});

describe('OpenAPI document and Swagger UI', () => {
  it('documents every route with the served champion schema as the Applicant', async () => {
    dir = tempDir();
    app = await fakeServer(dir);
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.openapi).toBe('3.0.3');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/health',
      '/metrics',
      '/ready',
      '/v1/logs',
      '/v1/logs/files',
      '/v1/logs/files/{name}',
      '/v1/model',
      '/v1/score',
      '/v1/score/batch',
    ]);
    expect(document.components.schemas.Applicant.properties).toEqual(SCHEMA_DOCUMENT.properties);
    expect(document.components.schemas.Applicant).not.toHaveProperty('$schema');
    expect(document.paths['/v1/score'].post.security).toEqual([{ bearer: [] }]);
  });

  it('serves Swagger UI at /docs without a key', async () => {
    dir = tempDir();
    app = await fakeServer(dir);
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const spec = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(spec.json().components.schemas.Applicant.properties).toHaveProperty('AMT_INCOME_TOTAL');
  });

  it('leaves /docs out when VIGIE_DOCS is false', async () => {
    dir = tempDir();
    app = await fakeServer(dir, {}, { VIGIE_DOCS: 'false' });
    expect((await app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(404);
  });
});
