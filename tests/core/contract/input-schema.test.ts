import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileInputSchema, SchemaError, type Applicant } from '../../../core/contract/index.ts';

const schemaDocument = JSON.parse(readFileSync(new URL('../../fixtures/input_schema.json', import.meta.url), 'utf8'));
const schema = compileInputSchema(schemaDocument);

function validApplicant(): Applicant {
  return {
    SK_ID_CURR: 100002,
    NAME_CONTRACT_TYPE: 'Cash loans',
    CODE_GENDER: 'M',
    FLAG_OWN_CAR: 'N',
    FLAG_OWN_REALTY: 'Y',
    CNT_CHILDREN: 0,
    AMT_INCOME_TOTAL: 202500,
    AMT_CREDIT: 406597.5,
    AMT_ANNUITY: 24700.5,
    AMT_GOODS_PRICE: 351000,
    NAME_INCOME_TYPE: 'Working',
    NAME_EDUCATION_TYPE: 'Secondary / secondary special',
    NAME_FAMILY_STATUS: 'Single / not married',
    NAME_HOUSING_TYPE: 'House / apartment',
    REGION_POPULATION_RELATIVE: 0.018801,
    DAYS_BIRTH: -9461,
    DAYS_EMPLOYED: -637,
    DAYS_REGISTRATION: -3648,
    DAYS_ID_PUBLISH: -2120,
    OWN_CAR_AGE: null,
    OCCUPATION_TYPE: 'Laborers',
    CNT_FAM_MEMBERS: 1,
    REGION_RATING_CLIENT: 2,
    EXT_SOURCE_1: 0.083,
    EXT_SOURCE_2: 0.263,
    EXT_SOURCE_3: 0.139,
    DAYS_LAST_PHONE_CHANGE: -1134,
    AMT_REQ_CREDIT_BUREAU_YEAR: 1,
  };
}

function issuesFor(input: unknown) {
  const result = schema.validate(input);
  return result.ok ? [] : result.issues;
}

describe('input schema compiler', () => {
  it('lists the fields in schema order with their kinds', () => {
    expect(schema.fields[0]).toMatchObject({ name: 'SK_ID_CURR', kind: 'integer', required: true });
    expect(schema.fieldsByName.get('CODE_GENDER')).toMatchObject({ kind: 'category', categories: ['M', 'F', 'XNA'] });
    expect(schema.fieldsByName.get('EXT_SOURCE_1')).toMatchObject({ kind: 'number', required: false, nullable: true });
    expect(schema.fields).toHaveLength(28);
  });

  it('refuses a schema that allows unknown fields', () => {
    expect(() => compileInputSchema({ ...schemaDocument, additionalProperties: true })).toThrow(SchemaError);
  });

  it('refuses a schema with a keyword it cannot enforce', () => {
    const document = structuredClone(schemaDocument);
    document.properties.AMT_CREDIT.multipleOf = 10;
    expect(() => compileInputSchema(document)).toThrow(/unsupported keyword "multipleOf"/);
  });
});

describe('applicant validation', () => {
  it('accepts a real application row', () => {
    expect(schema.validate(validApplicant())).toEqual({ ok: true, value: validApplicant() });
  });

  it('accepts DAYS_EMPLOYED = 365243, the data set code for "not employed"', () => {
    expect(issuesFor({ ...validApplicant(), DAYS_EMPLOYED: 365243 })).toEqual([]);
  });

  it('accepts optional fields as null or absent and reports them as null', () => {
    const applicant: Record<string, unknown> = { ...validApplicant(), EXT_SOURCE_1: null, OCCUPATION_TYPE: null };
    delete applicant.AMT_ANNUITY;
    const result = schema.validate(applicant);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.AMT_ANNUITY).toBeNull();
  });

  it('accepts the edge values of each range', () => {
    const edges = {
      DAYS_BIRTH: -25550,
      CNT_CHILDREN: 20,
      REGION_POPULATION_RELATIVE: 1,
      EXT_SOURCE_2: 0,
      DAYS_EMPLOYED: 0,
    };
    expect(issuesFor({ ...validApplicant(), ...edges })).toEqual([]);
  });

  it.each([
    ['a missing required field', { AMT_INCOME_TOTAL: undefined }, 'AMT_INCOME_TOTAL', 'required'],
    ['null in a required field', { CODE_GENDER: null }, 'CODE_GENDER', 'null_not_allowed'],
    ['a string where a number is expected', { AMT_CREDIT: '406597.5' }, 'AMT_CREDIT', 'wrong_type'],
    ['a number where a category is expected', { FLAG_OWN_CAR: 1 }, 'FLAG_OWN_CAR', 'wrong_type'],
    ['a boolean where a number is expected', { CNT_CHILDREN: true }, 'CNT_CHILDREN', 'wrong_type'],
    ['NaN', { EXT_SOURCE_2: Number.NaN }, 'EXT_SOURCE_2', 'not_finite'],
    ['Infinity', { AMT_INCOME_TOTAL: Number.POSITIVE_INFINITY }, 'AMT_INCOME_TOTAL', 'not_finite'],
    ['a fraction in an integer field', { CNT_CHILDREN: 1.5 }, 'CNT_CHILDREN', 'not_integer'],
    ['a zero income (exclusive minimum)', { AMT_INCOME_TOTAL: 0 }, 'AMT_INCOME_TOTAL', 'too_small'],
    ['an age of -5 years', { DAYS_BIRTH: 1826 }, 'DAYS_BIRTH', 'too_large'],
    ['an applicant older than 70', { DAYS_BIRTH: -25551 }, 'DAYS_BIRTH', 'too_small'],
    ['a positive DAYS_EMPLOYED other than 365243', { DAYS_EMPLOYED: 100 }, 'DAYS_EMPLOYED', 'too_large'],
    ['a score above 1', { EXT_SOURCE_3: 1.01 }, 'EXT_SOURCE_3', 'too_large'],
    ['a region rating of 4', { REGION_RATING_CLIENT: 4 }, 'REGION_RATING_CLIENT', 'too_large'],
    ['an unknown category', { NAME_CONTRACT_TYPE: 'Mortgage' }, 'NAME_CONTRACT_TYPE', 'unknown_category'],
    ['a category in the wrong case', { CODE_GENDER: 'm' }, 'CODE_GENDER', 'unknown_category'],
    ['an unknown field', { FAVOURITE_COLOUR: 'blue' }, 'FAVOURITE_COLOUR', 'unknown_field'],
    ['an object in a number field', { AMT_CREDIT: { value: 1 } }, 'AMT_CREDIT', 'wrong_type'],
  ])('rejects %s', (_name, patch, path, code) => {
    const applicant: Record<string, unknown> = { ...validApplicant(), ...patch };
    for (const [key, value] of Object.entries(patch)) if (value === undefined) delete applicant[key];
    const issues = issuesFor(applicant);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path, code });
    expect(issues[0]!.message).toContain(path);
  });

  it('rejects a literal __proto__ key from JSON.parse', () => {
    const input = JSON.parse(`{"__proto__": {"admin": true}, ${JSON.stringify(validApplicant()).slice(1)}`);
    expect(issuesFor(input)).toEqual([expect.objectContaining({ path: '__proto__', code: 'forbidden_key' })]);
  });

  it('rejects a constructor key', () => {
    expect(issuesFor({ ...validApplicant(), constructor: 'x' })).toEqual([
      expect.objectContaining({ path: 'constructor', code: 'forbidden_key' }),
    ]);
  });

  it.each([
    ['null', null],
    ['an array', [validApplicant()]],
    ['a string', 'applicant'],
    ['a number', 42],
  ])('rejects %s as the applicant', (_name, input) => {
    expect(issuesFor(input)).toEqual([expect.objectContaining({ path: '', code: 'not_object' })]);
  });

  it('names every offending field at once', () => {
    const issues = issuesFor({ ...validApplicant(), AMT_CREDIT: -1, CODE_GENDER: 'Q', EXTRA: 1 });
    expect(issues.map((issue) => issue.path).sort()).toEqual(['AMT_CREDIT', 'CODE_GENDER', 'EXTRA']);
  });
});
