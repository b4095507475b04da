import { describe, expect, it } from 'vitest';
import { compileInputSchema, type Applicant } from '../../../core/contract/index.ts';
import { ColumnsError, checkColumns, type ScoringColumns } from '../../../core/engine/typed-columns.ts';

/** Every kind of bound the schema language has, each on its own field (required, nullable and optional ones). */
const schema = compileInputSchema({
  type: 'object',
  additionalProperties: false,
  required: ['positive_id', 'children', 'ratio', 'days', 'fraction'],
  properties: {
    positive_id: { type: 'integer', exclusiveMinimum: 0 },
    children: { type: 'integer', minimum: 0, maximum: 20 },
    ratio: { type: ['number', 'null'], minimum: 0, maximum: 1 },
    days: { type: 'integer', anyOf: [{ maximum: 0 }, { const: 365243 }, { const: 2.5 }] },
    fraction: { type: 'number', exclusiveMaximum: 10, anyOf: [{ minimum: -1 }, { const: -5 }] },
    both_sides: { type: 'number', minimum: 1, exclusiveMinimum: 1, maximum: 4, exclusiveMaximum: 3 },
    free: { type: ['number', 'null'] },
    optional_count: { type: 'integer', minimum: -3 },
    gender: { type: 'string', enum: ['M', 'F'] },
  },
});

const base: Applicant = { positive_id: 7, children: 1, ratio: 0.5, days: -10, fraction: 2, gender: 'F' };

const EDGES = [
  0,
  -0,
  1,
  -1,
  2.5,
  3,
  4,
  20,
  21,
  10,
  9.999999999999998,
  -5,
  -3,
  -3.5,
  365243,
  365242,
  1e-300,
  -1e-300,
  5e-324,
  0.5,
  1.5,
  2 ** 53,
  2 ** 53 + 2,
  1e308,
  -1e308,
  NaN,
  Infinity,
  -Infinity,
];

function columnsOf(applicants: Applicant[]): ScoringColumns {
  const numbers = new Map<string, Float64Array>();
  for (const field of schema.fields) {
    if (field.kind === 'category') continue;
    numbers.set(
      field.name,
      Float64Array.from(applicants, (applicant) => {
        const value = applicant[field.name];
        return typeof value === 'number' ? value : NaN;
      }),
    );
  }
  const codes = Int32Array.from(applicants, (applicant) => ['M', 'F'].indexOf(applicant.gender as string));
  return { rows: applicants.length, numbers, categories: new Map([['gender', { codes, labels: ['M', 'F'] }]]) };
}

/** The row the column check refuses, or null when it accepts every row. */
function refusedRow(applicants: Applicant[]): number | null {
  try {
    checkColumns(schema, columnsOf(applicants));
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ColumnsError);
    return (error as ColumnsError).row;
  }
}

describe('checking typed columns against the schema', () => {
  it('refuses a value exactly where validating the applicant refuses it, for every kind of bound', () => {
    expect(schema.validate(base).ok).toBe(true);
    for (const field of schema.fields) {
      if (field.kind === 'category') continue;
      for (const value of EDGES) {
        // A missing value is NaN in a column: a null where the field is nullable, else an absent field.
        const applicant: Applicant = { ...base, [field.name]: Number.isNaN(value) ? null : value };
        if (Number.isNaN(value) && !field.nullable) delete applicant[field.name];
        const expected = schema.validate(applicant).ok ? null : 0;
        expect({ field: field.name, value, refused: refusedRow([base, applicant]) }).toEqual({
          field: field.name,
          value,
          refused: expected === null ? null : 1,
        });
      }
    }
  });

  it('names the first refused row of a long column, wherever it lies', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ ...base, children: i % 21 }));
    expect(refusedRow(rows)).toBeNull();
    rows[4321] = { ...base, children: 21 };
    rows[4999] = { ...base, children: 0.5 };
    expect(refusedRow(rows)).toBe(4321);
    const ratios = rows.map((row, i) => ({ ...row, children: 1, ratio: i === 3000 ? Infinity : i % 7 ? null : 0.25 }));
    expect(refusedRow(ratios)).toBe(3000);
  });
});
