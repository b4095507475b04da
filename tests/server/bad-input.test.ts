import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, fakeServer, removeDir, tempDir, validApplicant } from './helpers.ts';

const { SK_ID_CURR: _id, ...withoutId } = validApplicant();
const { AMT_INCOME_TOTAL: _income, ...withoutIncome } = validApplicant();

/** What a credit form really sends by mistake: each must be a 4xx naming the problem, never a 5xx. */
const BAD_APPLICANTS: Array<[string, unknown, string, string]> = [
  ['a missing required field', withoutIncome, 'AMT_INCOME_TOTAL', 'required'],
  ['a missing SK_ID_CURR', withoutId, 'SK_ID_CURR', 'required'],
  ['a number sent as a string', validApplicant({ AMT_CREDIT: '406597.5' }), 'AMT_CREDIT', 'wrong_type'],
  ['a category sent as a number', validApplicant({ CODE_GENDER: 1 }), 'CODE_GENDER', 'wrong_type'],
  ['an age of -5 years', validApplicant({ DAYS_BIRTH: 5 * 365 }), 'DAYS_BIRTH', 'too_large'],
  ['a zero income', validApplicant({ AMT_INCOME_TOTAL: 0 }), 'AMT_INCOME_TOTAL', 'too_small'],
  ['a negative credit', validApplicant({ AMT_CREDIT: -1 }), 'AMT_CREDIT', 'too_small'],
  ['an unknown category', validApplicant({ NAME_CONTRACT_TYPE: 'Mortgage' }), 'NAME_CONTRACT_TYPE', 'unknown_category'],
  ['a fractional child count', validApplicant({ CNT_CHILDREN: 1.5 }), 'CNT_CHILDREN', 'not_integer'],
  ['an unknown field', validApplicant({ TARGET: 1 }), 'TARGET', 'unknown_field'],
  ['a null required field', validApplicant({ DAYS_EMPLOYED: null }), 'DAYS_EMPLOYED', 'null_not_allowed'],
  ['a nested object as a value', validApplicant({ AMT_ANNUITY: { value: 1 } }), 'AMT_ANNUITY', 'wrong_type'],
  ['an array as a value', validApplicant({ OCCUPATION_TYPE: ['Managers'] }), 'OCCUPATION_TYPE', 'wrong_type'],
  ['an array body', [validApplicant()], '', 'not_object'],
  ['a string body', 'hello', '', 'not_object'],
  ['a null body', null, '', 'not_object'],
];

/** Raw bodies that are not JSON a validator could even see. */
const BAD_RAW_BODIES: Array<[string, string, string]> = [
  ['NaN', '{"AMT_INCOME_TOTAL": NaN}', 'MALFORMED_JSON'],
  ['Infinity', '{"AMT_INCOME_TOTAL": Infinity}', 'MALFORMED_JSON'],
  ['a truncated body', JSON.stringify(validApplicant()).slice(0, 50), 'MALFORMED_JSON'],
  ['an empty body', '', 'MALFORMED_JSON'],
  ['a JSON-in-JSON string', JSON.stringify(JSON.stringify(validApplicant())), 'VALIDATION_FAILED'],
  [
    'a __proto__ key',
    JSON.stringify(validApplicant()).replace('{', '{"__proto__":{"isAdmin":true},'),
    'VALIDATION_FAILED',
  ],
  [
    'a constructor key',
    JSON.stringify(validApplicant()).replace('{', '{"constructor":{"prototype":{}},'),
    'VALIDATION_FAILED',
  ],
  ['deep nesting', `{"AMT_CREDIT":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, 'VALIDATION_FAILED'],
  ['deep object nesting', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, 'VALIDATION_FAILED'],
  ['a huge body', JSON.stringify({ ...validApplicant(), padding: 'x'.repeat(200_000) }), 'BODY_TOO_LARGE'],
  ['a 1e400 number', JSON.stringify(validApplicant()).replace('202500', '1e400'), 'VALIDATION_FAILED'],
];

describe('bad applicants', () => {
  let dir = '';
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = tempDir();
    app = await fakeServer(dir);
  });
  afterAll(async () => {
    await app.close();
    removeDir(dir);
  });

  it.each(BAD_APPLICANTS)('refuses %s with 400 naming the field and the rule', async (_name, body, path, code) => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/score',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(response.statusCode).toBe(400);
    const json = response.json();
    expect(json.code).toBe('VALIDATION_FAILED');
    expect(json.request_id).toBe(response.headers['x-request-id']);
    expect(json.issues).toContainEqual({ path, code, message: expect.any(String) });
  });

  it.each(BAD_RAW_BODIES)('refuses a body with %s with a 4xx catalogue error', async (_name, payload, code) => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/score',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.json().code).toBe(code);
  });

  it('names every bad field of one applicant at once', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant({ AMT_INCOME_TOTAL: 0, DAYS_BIRTH: 1825, CODE_GENDER: 'Q' }),
    });
    expect(
      response
        .json()
        .issues.map((issue: { path: string }) => issue.path)
        .sort(),
    ).toEqual(['AMT_INCOME_TOTAL', 'CODE_GENDER', 'DAYS_BIRTH']);
  });

  it('is still healthy and scoring after every bad input', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'POST', url: '/v1/score', headers: auth(), payload: validApplicant() })).statusCode,
    ).toBe(200);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('counts validation failures by field and code in /metrics', async () => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/vigie_validation_failures_total\{field="DAYS_BIRTH",code="too_large"\} [1-9]/);
    expect(text).toMatch(/vigie_validation_failures_total\{field="_unknown",code="unknown_field"\} [1-9]/);
  });
});

describe('fuzzing', () => {
  let dir = '';
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = tempDir();
    app = await fakeServer(dir, {}, { VIGIE_RATE_LIMIT_MAX: '1000000' });
  });
  afterAll(async () => {
    await app.close();
    removeDir(dir);
  });

  it('never answers a 5xx to random JSON bodies on either scoring route', async () => {
    const applicantLike = fc.record(
      Object.fromEntries(
        Object.keys(validApplicant()).map((key) => [key, fc.oneof(fc.jsonValue(), fc.constant(validApplicant()[key]))]),
      ),
      { requiredKeys: [] },
    );
    const body = fc.oneof(fc.jsonValue(), applicantLike, fc.dictionary(fc.string(), fc.jsonValue()));
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (value, batch) => {
        const response = await app.inject({
          method: 'POST',
          url: batch ? '/v1/score/batch' : '/v1/score',
          headers: { ...auth(), 'content-type': 'application/json' },
          payload: JSON.stringify(batch ? { applicants: [value] } : value) ?? 'null',
        });
        expect(response.statusCode).toBeLessThan(500);
        expect(response.json()).toHaveProperty('request_id');
      }),
      { numRuns: 200 },
    );
  });

  it('never answers a 5xx to random bytes sent as JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        const response = await app.inject({
          method: 'POST',
          url: '/v1/score',
          headers: { ...auth(), 'content-type': 'application/json' },
          payload: text,
        });
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
