import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ERROR_CODES } from '../../server/errors.ts';
import { fakeServer, removeDir, tempDir } from './helpers.ts';

const API_DOC = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
const CONFIG_SOURCE = readFileSync(new URL('../../server/config.ts', import.meta.url), 'utf8');
/** The shadow and canary options are documented with the challenger features (docs/challenger.md, "Configuration"). */
const CHALLENGER_DOC = readFileSync(new URL('../../docs/challenger.md', import.meta.url), 'utf8');

/** The lines of one `## <title>` section of docs/api.md. */
function apiSection(title: string): string[] {
  const start = API_DOC.indexOf(`\n## ${title}`);
  expect(start, `docs/api.md has no "## ${title}"`).toBeGreaterThan(-1);
  const rest = API_DOC.slice(start + 4);
  const end = rest.search(/\n##+ /);
  return rest.slice(0, end === -1 ? undefined : end).split('\n');
}

interface ErrorResponse {
  description?: string;
  content?: Record<string, { schema?: { $ref?: string } }>;
}

describe('error catalogue', () => {
  let dir = '';
  let app: FastifyInstance;
  let document: {
    components: { schemas: Record<string, { properties: { code: { enum: string[] } } }> };
    paths: Record<string, Record<string, { responses: Record<string, ErrorResponse> }>>;
  };

  beforeAll(async () => {
    dir = tempDir();
    app = await fakeServer(dir);
    document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(async () => {
    await app.close();
    removeDir(dir);
  });

  it('lists the same codes in the OpenAPI Error schema as in server/errors.ts', () => {
    expect(document.components.schemas.Error!.properties.code.enum).toEqual(ERROR_CODES);
  });

  it('documents each error response of each route with the catalogue codes of that status', () => {
    let checked = 0;
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (response.content?.['application/json']?.schema?.$ref !== '#/components/schemas/Error') continue;
          const codes = ERROR_CODES.filter((code) => ERROR_CATALOGUE[code].status === Number(status));
          expect(codes.length).toBeGreaterThan(0);
          expect(response.description).toBe(codes.join(', '));
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('matches the error table of docs/api.md code for code and status for status', () => {
    const rows = apiSection('Errors')
      .map((line) => /^\| `([A-Z_]+)` \| (\d{3}) \|/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1], Number(match[2])]);
    expect(rows).toEqual(ERROR_CODES.map((code) => [code, ERROR_CATALOGUE[code].status]));
  });

  it('documents every environment variable of server/config.ts in the configuration table of docs/api.md', () => {
    const variables = [...new Set([...CONFIG_SOURCE.matchAll(/'(VIGIE_[A-Z_]+)'/g)].map((match) => match[1]!))];
    const documented = [...apiSection('Configuration'), ...CHALLENGER_DOC.split('\n')]
      .map((line) => /^\| `(VIGIE_[A-Z_]+)` \|/.exec(line)?.[1])
      .filter((name) => name !== undefined);
    expect(variables.length).toBeGreaterThan(20);
    expect([...documented].sort()).toEqual([...variables].sort());
  });
});
