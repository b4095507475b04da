import { describe, expect, it } from 'vitest';
import type { Applicant, InputSchema } from '../../../core/contract/index.ts';
import { ColumnsError, columnsFromApplicants } from '../../../core/engine/index.ts';
import { readGolden, THROWING_CREDIT, withCredit, useEngineFixture } from './fixture-models.ts';

const fx = useEngineFixture();

/** Columns as the CSV/store readers give them: dictionaries in order of first appearance, not schema order. */
function toColumns(
  schema: InputSchema,
  applicants: Applicant[],
): {
  rows: number;
  numbers: Map<string, Float64Array>;
  categories: Map<string, { codes: Int32Array; labels: string[] }>;
} {
  const numbers = new Map<string, Float64Array>();
  const categories = new Map<string, { codes: Int32Array; labels: string[] }>();
  for (const field of schema.fields) {
    if (field.kind === 'category') {
      const labels: string[] = ['a label no row uses'];
      const codes = Int32Array.from(applicants, (applicant) => {
        const value = applicant[field.name];
        if (typeof value !== 'string') return -1;
        if (!labels.includes(value)) labels.push(value);
        return labels.indexOf(value);
      });
      categories.set(field.name, { codes, labels });
    } else {
      numbers.set(
        field.name,
        Float64Array.from(applicants, (applicant) => {
          const value = applicant[field.name];
          return typeof value === 'number' ? value : NaN;
        }),
      );
    }
  }
  return { rows: applicants.length, numbers, categories };
}

function validApplicants(schema: InputSchema, rows: Applicant[]): Applicant[] {
  return rows.map((row) => {
    const result = schema.validate(row);
    if (!result.ok) throw new Error(result.issues[0]!.message);
    return result.value;
  });
}

describe('scoring typed columns', () => {
  it('gives bit-identical probabilities to scoreMany, with missing values and decisions', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, workers: 2 });
    const golden = readGolden(fx.models.packageDir('1')).map((row) => row.input);
    const mixed = golden.map((row, i): Applicant => {
      if (i % 3 === 0) return { ...row, EXT_SOURCE_2: null, OCCUPATION_TYPE: null };
      if (i % 3 === 1) return { ...row, OWN_CAR_AGE: null };
      return row;
    });
    const applicants = validApplicants(engine.schema, [...mixed, ...mixed, ...mixed].slice(0, 700));
    const objects = await engine.scoreMany(applicants);
    const columns = await engine.scoreColumns(toColumns(engine.schema, applicants));
    expect(columns.rows).toBe(applicants.length);
    expect([...columns.probabilities]).toEqual(objects.map((result) => result.probability));
    expect([...columns.decisions]).toEqual(objects.map((result) => (result.decision === 'refuse' ? 1 : 0)));
    expect([...columns.servedBy].every((code) => code === 0)).toBe(true);
    expect(columns.answeredBy[0]).toEqual({ served_by: 'champion', model: objects[0]!.model, threshold: 0.2 });
    expect(columns.reason).toBeNull();
    // Dictionaries in schema order are read without a remap: same answers.
    const direct = await engine.scoreColumns(columnsFromApplicants(engine.schema, applicants));
    expect([...direct.probabilities]).toEqual([...columns.probabilities]);
  });

  it('reads an absent optional column as missing, and scores zero rows', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, fallback: null, workers: 1 });
    const applicants = validApplicants(
      engine.schema,
      readGolden(fx.models.packageDir('1')).map((row) => ({ ...row.input, EXT_SOURCE_2: null })),
    );
    const columns = toColumns(engine.schema, applicants);
    columns.numbers.delete('EXT_SOURCE_2');
    const scores = await engine.scoreColumns(columns);
    expect([...scores.probabilities]).toEqual((await engine.scoreMany(applicants)).map((r) => r.probability));
    const empty = await engine.scoreColumns(toColumns(engine.schema, []));
    expect(empty.probabilities.length).toBe(0);
  });

  it('sends the rows the champion fails on down the same fallback chain as scoreMany', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, champion: '3', workers: 2 });
    const golden = readGolden(fx.models.packageDir('3')).map((row) => row.input);
    const applicants = validApplicants(
      engine.schema,
      golden.map((row, i) => (i === 7 ? withCredit(row, THROWING_CREDIT) : row)),
    );
    const objects = await engine.scoreMany(applicants);
    const scores = await engine.scoreColumns(toColumns(engine.schema, applicants));
    expect([...scores.probabilities]).toEqual(objects.map((result) => result.probability));
    const served = ['champion', 'fallback', 'rules'];
    expect([...scores.servedBy].map((code) => served[code])).toEqual(objects.map((result) => result.served_by));
    expect(scores.servedBy[7]).toBe(1);
    expect(scores.answeredBy[1]?.model.version).toBe('2');
    expect(scores.reason).toMatch(/^champion: /);
  });

  it('refuses, with the schema’s message and the row, what validation refuses', async () => {
    const engine = await fx.createEngine({ modelsDir: fx.models.modelsDir, fallback: null, workers: 1 });
    const schema = engine.schema;
    const applicants = validApplicants(
      schema,
      readGolden(fx.models.packageDir('1')).map((row) => row.input),
    ).slice(0, 20);
    const refusal = async (change: (columns: ReturnType<typeof toColumns>) => void) => {
      const columns = toColumns(schema, applicants);
      change(columns);
      return engine.scoreColumns(columns).then(
        () => null,
        (error: unknown) => error,
      );
    };
    const unseen = await refusal((columns) => {
      const gender = columns.categories.get('CODE_GENDER')!;
      gender.labels.push('Q');
      gender.codes[4] = gender.labels.length - 1;
    });
    expect(unseen).toBeInstanceOf(ColumnsError);
    expect((unseen as ColumnsError).row).toBe(4);
    expect((unseen as ColumnsError).issues.map((issue) => issue.code)).toEqual(['unknown_category']);
    expect((unseen as Error).message).toMatch(/^row 4: CODE_GENDER must be one of .*got "Q"$/);

    const outside = await refusal((columns) => (columns.categories.get('CODE_GENDER')!.codes[2] = 99));
    expect((outside as Error).message).toMatch(/row 2: CODE_GENDER has the code 99, outside its dictionary/);
    const inOrder = columnsFromApplicants(schema, applicants);
    (inOrder.categories.get('CODE_GENDER')!.codes as Int32Array)[9] = -1;
    await expect(engine.scoreColumns(inOrder)).rejects.toThrow('row 9: CODE_GENDER is required and cannot be null');
    (inOrder.categories.get('CODE_GENDER')!.codes as Int32Array)[9] = 3;
    await expect(engine.scoreColumns(inOrder)).rejects.toThrow(/^row 9: CODE_GENDER has the code 3, outside/);

    const missingRequired = await refusal((columns) => (columns.numbers.get('AMT_CREDIT')![3] = NaN));
    expect((missingRequired as ColumnsError).issues.map((issue) => issue.code)).toEqual(['null_not_allowed']);
    const missingCategory = await refusal((columns) => (columns.categories.get('CODE_GENDER')!.codes[0] = -1));
    expect((missingCategory as Error).message).toBe('row 0: CODE_GENDER is required and cannot be null');
    const infinite = await refusal((columns) => (columns.numbers.get('AMT_CREDIT')![1] = Infinity));
    expect((infinite as ColumnsError).issues.map((issue) => issue.code)).toEqual(['not_finite']);
    const fraction = await refusal((columns) => (columns.numbers.get('CNT_CHILDREN')![5] = 1.5));
    expect((fraction as ColumnsError).issues.map((issue) => issue.code)).toEqual(['not_integer']);
    const bounds = await refusal((columns) => (columns.numbers.get('EXT_SOURCE_2')![6] = 1.5));
    expect((bounds as ColumnsError).issues.map((issue) => issue.code)).toEqual(['too_large']);

    expect(((await refusal((columns) => columns.numbers.delete('AMT_CREDIT'))) as Error).message).toBe(
      'AMT_CREDIT is required but has no column',
    );
    expect(
      ((await refusal((columns) => columns.numbers.set('NOT_A_FIELD', new Float64Array(20)))) as Error).message,
    ).toBe('unknown field "NOT_A_FIELD" (not in the input schema)');
    expect(
      ((await refusal((columns) => columns.numbers.set('CODE_GENDER', new Float64Array(20)))) as Error).message,
    ).toBe('CODE_GENDER is a category field but was given as a number column');
    expect(
      ((await refusal((columns) => columns.numbers.set('AMT_CREDIT', new Float64Array(3)))) as Error).message,
    ).toBe('the column AMT_CREDIT has 3 values for 20 rows');
    // DAYS_EMPLOYED's schema allows 365243 beside its bounds: a column holding it is scored, as the object is.
    const allowed = toColumns(schema, applicants);
    allowed.numbers.get('DAYS_EMPLOYED')![0] = 365243;
    await expect(engine.scoreColumns(allowed)).resolves.toMatchObject({ rows: 20 });
  });
});
