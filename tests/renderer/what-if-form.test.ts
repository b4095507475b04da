import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildForm, checkForm, daysHint, valuesOf } from '../../renderer/src/what-if/form-model.ts';

const PACKAGE_SCHEMA = JSON.parse(readFileSync('models/credit-default/1/input_schema.json', 'utf8')) as unknown;

/** One field per rule class the schema compiler supports. */
const EVERY_RULE = {
  type: 'object',
  additionalProperties: false,
  required: ['SK_ID_CURR', 'CNT_CHILDREN', 'CODE_GENDER', 'DAYS_EMPLOYED'],
  properties: {
    SK_ID_CURR: { type: 'integer', exclusiveMinimum: 0 },
    CNT_CHILDREN: { type: 'integer', minimum: 0, maximum: 20 },
    EXT_SOURCE_1: { type: ['number', 'null'], minimum: 0, maximum: 1 },
    AMT_ANNUITY: { type: ['number', 'null'], exclusiveMinimum: 0, exclusiveMaximum: 1e9 },
    CODE_GENDER: { type: 'string', enum: ['M', 'F', 'XNA'] },
    OCCUPATION_TYPE: { type: ['string', 'null'], enum: ['Laborers', 'Managers'] },
    DAYS_EMPLOYED: { type: 'integer', anyOf: [{ maximum: 0 }, { const: 365243 }] },
  },
};

const VALID = {
  SK_ID_CURR: '1',
  CNT_CHILDREN: '2',
  EXT_SOURCE_1: '',
  AMT_ANNUITY: '1000',
  CODE_GENDER: 'F',
  OCCUPATION_TYPE: '',
  DAYS_EMPLOYED: '-100',
};

describe('the what-if form generated from the input schema', () => {
  it('groups every field of the package schema, categories as selects, DAYS_* with a days hint', () => {
    const form = buildForm(PACKAGE_SCHEMA);
    expect(form.fields).toHaveLength(form.schema.fields.length);
    expect(form.groups.map((g) => g.title)).toEqual([
      'Applicant',
      'Income and credit',
      'Employment',
      'External scores',
      'Housing and region',
      'Assets and documents',
    ]);
    const byName = new Map(form.fields.map((f) => [f.name, f]));
    expect(byName.get('NAME_HOUSING_TYPE')!.control).toBe('select');
    expect(byName.get('DAYS_BIRTH')!.days).toBe(true);
    expect(byName.get('DAYS_BIRTH')!.range).toBe('≥ -25550 and ≤ -6570');
    expect(byName.get('OCCUPATION_TYPE')!.nullable).toBe(true);
  });

  it('covers every rule class: bounds, exclusive bounds, integers, categories, nullable, special values', () => {
    const form = buildForm(EVERY_RULE);
    const byName = new Map(form.fields.map((f) => [f.name, f]));
    expect(byName.get('SK_ID_CURR')).toMatchObject({ control: 'number', step: 1, min: 1, range: '> 0' });
    expect(byName.get('CNT_CHILDREN')).toMatchObject({ min: 0, max: 20, range: '≥ 0 and ≤ 20' });
    expect(byName.get('EXT_SOURCE_1')).toMatchObject({ nullable: true, step: 'any', min: 0, max: 1 });
    expect(byName.get('AMT_ANNUITY')!.range).toBe('> 0 and < 1000000000');
    expect(byName.get('CODE_GENDER')).toMatchObject({ control: 'select', options: ['M', 'F', 'XNA'], nullable: false });
    expect(byName.get('OCCUPATION_TYPE')).toMatchObject({ control: 'select', nullable: true });
    expect(byName.get('DAYS_EMPLOYED')).toMatchObject({ special: [365243], range: '≤ 0, or exactly 365243' });
    expect(byName.get('DAYS_EMPLOYED')!.max).toBeUndefined();

    expect(checkForm(form.schema, form.fields, VALID).applicant).not.toBeNull();
    const cases: Array<[string, string, RegExp]> = [
      ['CNT_CHILDREN', '21', /CNT_CHILDREN must be >= 0 and <= 20, got 21/],
      ['CNT_CHILDREN', '1.5', /must be an integer/],
      ['SK_ID_CURR', '0', /SK_ID_CURR must be > 0/],
      ['AMT_ANNUITY', '1000000000', /< 1000000000/],
      ['EXT_SOURCE_1', 'abc', /EXT_SOURCE_1 must be a number, got the string "abc"/],
      ['CODE_GENDER', '', /CODE_GENDER is required/],
      ['CODE_GENDER', 'Q', /must be one of "M", "F", "XNA"/],
      ['DAYS_EMPLOYED', '5', /or exactly 365243/],
    ];
    for (const [field, text, message] of cases) {
      const checked = checkForm(form.schema, form.fields, { ...VALID, [field]: text });
      expect(checked.applicant, `${field}=${text}`).toBeNull();
      expect(checked.errors[field]).toMatch(message);
    }
    expect(checkForm(form.schema, form.fields, { ...VALID, DAYS_EMPLOYED: '365243' }).applicant).not.toBeNull();
  });

  it('round-trips an applicant through the inputs and writes days as years', () => {
    const form = buildForm(EVERY_RULE);
    const applicant = checkForm(form.schema, form.fields, VALID).applicant!;
    expect(valuesOf(applicant, form.fields)).toEqual(VALID);
    expect(daysHint('-3652')).toBe('3,652 days before the application (10.0 years)');
    expect(daysHint('365243')).toBe('code for "not employed"');
  });
});
