import { mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileInputSchema, SchemaError, type InputSchema } from '../../../core/contract/index.ts';
import { generateApplicants, NOT_EMPLOYED_DAYS, writeApplicantsCsv } from '../../../core/simulate/index.ts';

const schemaDocument = JSON.parse(
  readFileSync(new URL('../../fixtures/input_schema.json', import.meta.url), 'utf8'),
) as { properties: Record<string, Record<string, unknown>>; required: string[] };
const schema = compileInputSchema(schemaDocument);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-simulate-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function writeCsv(rows: number, seed: number, withSchema: InputSchema = schema): Promise<string> {
  const file = path.join(dir, `applicants-${seed}-${rows}.csv`);
  await writeApplicantsCsv({ rows, seed, schema: withSchema, out: createWriteStream(file) });
  return readFileSync(file, 'utf8');
}

function parseCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true }) as Record<string, string>[];
}

/** Reads a CSV cell back into the JSON value the API would receive. */
function typedValue(schemaField: InputSchema['fields'][number], cell: string): number | string | null {
  if (cell === '') return null;
  return schemaField.kind === 'category' ? cell : Number(cell);
}

describe('simulated applicants', () => {
  it('writes a byte-identical file for the same seed', async () => {
    expect(await writeCsv(3000, 7)).toBe(await writeCsv(3000, 7));
  });

  it('writes a different file for a different seed', async () => {
    expect(await writeCsv(500, 7)).not.toBe(await writeCsv(500, 8));
  });

  it('has every schema field in schema order, then TARGET', async () => {
    const header = (await writeCsv(10, 1)).split('\n')[0]!.split(',');
    expect(header).toEqual([...schema.fields.map((field) => field.name), 'TARGET']);
  });

  it('writes one line per row plus the header, each with TARGET 0 or 1', async () => {
    const rows = parseCsv(await writeCsv(1000, 2));
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((row) => row.TARGET))).toEqual(new Set(['0', '1']));
  });

  it('writes only rows that pass the schema validator once read back from the CSV', async () => {
    const rows = parseCsv(await writeCsv(3000, 3));
    const failures = rows
      .map((row) =>
        schema.validate(Object.fromEntries(schema.fields.map((f) => [f.name, typedValue(f, row[f.name]!)]))),
      )
      .filter((result) => !result.ok);
    expect(failures).toEqual([]);
  });

  it('generates only valid applicants over a large sample', () => {
    let invalid = 0;
    for (const { values } of generateApplicants({ rows: 10_000, seed: 11, schema })) {
      if (!schema.validate(values).ok) invalid += 1;
    }
    expect(invalid).toBe(0);
  });

  it('reports statistics within a few points of the Home Credit targets', async () => {
    const file = path.join(dir, 'stats.csv');
    const stats = await writeApplicantsCsv({ rows: 10_000, seed: 7, schema, out: createWriteStream(file) });
    expect(stats.rows).toBe(10_000);
    expect(stats.defaultRate).toBeGreaterThan(0.065);
    expect(stats.defaultRate).toBeLessThan(0.095);
    expect(Math.abs(stats.missingRate.EXT_SOURCE_1 - 0.56)).toBeLessThan(0.03);
    expect(Math.abs(stats.missingRate.EXT_SOURCE_3 - 0.2)).toBeLessThan(0.03);
    expect(Math.abs(stats.missingRate.OCCUPATION_TYPE - 0.31)).toBeLessThan(0.03);
    expect(Math.abs(stats.notEmployedRate - 0.18)).toBeLessThan(0.03);
    expect(stats.medianCreditToIncome).toBeGreaterThan(2);
    expect(stats.medianCreditToIncome).toBeLessThan(4);
    expect(Math.abs(stats.medianCreditToAnnuity - 20)).toBeLessThan(3);
  });

  it('gives DAYS_EMPLOYED = 365243 and no occupation to pensioners and the unemployed only', () => {
    for (const { values } of generateApplicants({ rows: 5000, seed: 4, schema })) {
      const notEmployed = values.NAME_INCOME_TYPE === 'Pensioner' || values.NAME_INCOME_TYPE === 'Unemployed';
      expect(values.DAYS_EMPLOYED === NOT_EMPLOYED_DAYS).toBe(notEmployed);
      if (notEmployed) expect(values.OCCUPATION_TYPE).toBeNull();
    }
  });

  it('makes pensioners older than working applicants on average', () => {
    const ages: Record<string, number[]> = { Pensioner: [], Working: [] };
    for (const { values } of generateApplicants({ rows: 5000, seed: 5, schema })) {
      ages[values.NAME_INCOME_TYPE as string]?.push(-(values.DAYS_BIRTH as number) / 365.25);
    }
    const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
    expect(mean(ages.Pensioner!)).toBeGreaterThan(mean(ages.Working!) + 10);
  });

  it('counts family members from the family status and the children', () => {
    for (const { values } of generateApplicants({ rows: 5000, seed: 6, schema })) {
      if (values.CNT_FAM_MEMBERS === null) continue;
      const couple = values.NAME_FAMILY_STATUS === 'Married' || values.NAME_FAMILY_STATUS === 'Civil marriage';
      expect(values.CNT_FAM_MEMBERS).toBe((values.CNT_CHILDREN as number) + (couple ? 2 : 1));
    }
  });

  it('gives a car age exactly to car owners', () => {
    for (const { values } of generateApplicants({ rows: 3000, seed: 8, schema })) {
      expect(values.OWN_CAR_AGE !== null).toBe(values.FLAG_OWN_CAR === 'Y');
    }
  });

  it('defaults more often among applicants with low external scores', () => {
    const low = { rows: 0, defaults: 0 };
    const high = { rows: 0, defaults: 0 };
    for (const { values, target } of generateApplicants({ rows: 20_000, seed: 9, schema })) {
      if (values.EXT_SOURCE_2 === null) continue;
      const group = (values.EXT_SOURCE_2 as number) < 0.4 ? low : high;
      group.rows += 1;
      group.defaults += target;
    }
    expect(low.defaults / low.rows).toBeGreaterThan(2 * (high.defaults / high.rows));
  });

  it('follows a schema with fewer fields', async () => {
    const properties = Object.fromEntries(
      Object.entries(schemaDocument.properties).filter(([name]) => !name.startsWith('EXT_SOURCE')),
    );
    const smaller = compileInputSchema({ ...schemaDocument, properties });
    const header = (await writeCsv(5, 1, smaller)).split('\n')[0]!;
    expect(header).not.toContain('EXT_SOURCE');
    expect(header.split(',')).toHaveLength(smaller.fields.length + 1);
  });

  it('refuses a schema with a field it cannot generate', () => {
    const document = {
      ...schemaDocument,
      properties: { ...schemaDocument.properties, FLAG_MOBIL: { type: 'integer' } },
    };
    const run = () => [...generateApplicants({ rows: 1, seed: 1, schema: compileInputSchema(document) })];
    expect(run).toThrow(SchemaError);
    expect(run).toThrow(/FLAG_MOBIL/);
  });

  it('refuses a schema that lacks a category the simulator draws', () => {
    const contract = { ...schemaDocument.properties.NAME_CONTRACT_TYPE, enum: ['Cash loans'] };
    const document = { ...schemaDocument, properties: { ...schemaDocument.properties, NAME_CONTRACT_TYPE: contract } };
    const run = () => [...generateApplicants({ rows: 1, seed: 1, schema: compileInputSchema(document) })];
    expect(run).toThrow(/NAME_CONTRACT_TYPE lacks the categories "Revolving loans"/);
  });
});

describe('the applicant CSV writer', () => {
  /** A destination that takes one small chunk at a time, slowly: the writer must wait for it (backpressure). */
  function slowSink(failAfterBytes = Number.POSITIVE_INFINITY) {
    const chunks: Buffer[] = [];
    let received = 0;
    let maxBuffered = 0;
    const stream = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        maxBuffered = Math.max(maxBuffered, stream.writableLength);
        received += chunk.length;
        if (received > failAfterBytes) return callback(new Error('disk full'));
        chunks.push(chunk);
        setImmediate(callback);
      },
    });
    return { stream, text: () => Buffer.concat(chunks).toString('utf8'), maxBuffered: () => maxBuffered };
  }

  it('waits for a slow destination and keeps what it buffers bounded', async () => {
    const sink = slowSink();
    await writeApplicantsCsv({ rows: 5000, seed: 7, schema, out: sink.stream });
    expect(sink.text()).toBe(await writeCsv(5000, 7));
    // The whole file is about 1 MB; with backpressure at most one 256 KB chunk waits at a time.
    expect(sink.text().length).toBeGreaterThan(900_000);
    expect(sink.maxBuffered()).toBeLessThan(600_000);
  });

  it('rejects with the destination error when writing fails', async () => {
    const sink = slowSink(100_000);
    await expect(writeApplicantsCsv({ rows: 20_000, seed: 7, schema, out: sink.stream })).rejects.toThrow('disk full');
  });
});
