import { describe, expect, it } from 'vitest';
import { INPUTS } from '../../console-api/inputs.ts';
import { array, number, object, oneOf, optional, string } from '../../console-api/schema.ts';

describe('console API input schemas', () => {
  it('accepts a well-formed input and returns it', () => {
    expect(INPUTS.overview({ range: { from: 1, to: 2 }, bucket: 'hour' })).toEqual({
      ok: true,
      value: { range: { from: 1, to: 2 }, bucket: 'hour' },
    });
  });

  it('refuses an unknown key rather than ignoring it', () => {
    expect(INPUTS.listSources({ everything: true })).toMatchObject({
      ok: false,
      issues: [{ path: 'everything', code: 'unknown_key' }],
    });
  });

  it('names the path of a wrong nested value', () => {
    expect(INPUTS.drift({ range: { from: 'yesterday' } })).toMatchObject({
      ok: false,
      issues: [{ path: 'range.from', code: 'wrong_type' }],
    });
  });

  it('refuses a range that ends before it starts', () => {
    expect(INPUTS.anomalies({ range: { from: 10, to: 5 } })).toMatchObject({
      ok: false,
      issues: [{ code: 'not_allowed' }],
    });
  });

  it('refuses NaN and infinities as numbers', () => {
    expect(number()(Number.NaN)).toMatchObject({ ok: false, issues: [{ code: 'wrong_type' }] });
    expect(number()(Number.POSITIVE_INFINITY)).toMatchObject({ ok: false });
  });

  it('refuses a category method for numbers', () => {
    expect(INPUTS.drift({ methods: { number: 'chi2' } })).toMatchObject({
      ok: false,
      issues: [{ path: 'methods.number' }],
    });
  });

  it('accepts wait as a flag of drift and driftField and refuses anything else there', () => {
    expect(INPUTS.drift({ wait: true })).toEqual({ ok: true, value: { wait: true } });
    expect(INPUTS.driftField({ field: 'AMT_CREDIT', wait: false }).ok).toBe(true);
    expect(INPUTS.drift({ wait: 'yes' })).toMatchObject({ ok: false, issues: [{ path: 'wait', code: 'wrong_type' }] });
  });

  it('requires at least one import path', () => {
    expect(INPUTS.importFiles({ paths: [] })).toMatchObject({
      ok: false,
      issues: [{ path: 'paths', code: 'too_small' }],
    });
  });

  it('reports every bad list item with its index', () => {
    const parse = array(string({ min: 1 }));
    expect(parse(['a', '', 3])).toMatchObject({ ok: false, issues: [{ path: '[1]' }, { path: '[2]' }] });
  });

  it('accepts only http and https API URLs', () => {
    expect(INPUTS.pullFromApi({ url: 'file:///etc/passwd' })).toMatchObject({ ok: false, issues: [{ path: 'url' }] });
    expect(INPUTS.pullFromApi({ url: 'http://127.0.0.1:8080' }).ok).toBe(true);
  });

  it('reads null as an absent optional value', () => {
    expect(object({ a: optional(oneOf(['x'])) })({ a: null })).toEqual({ ok: true, value: {} });
  });

  it('refuses a non-object argument', () => {
    expect(INPUTS.cancel('op-1')).toMatchObject({ ok: false, issues: [{ path: '', code: 'wrong_type' }] });
  });
});
