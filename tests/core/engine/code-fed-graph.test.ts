import { readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../../core/contract/index.ts';
import { CODE_SUFFIX, codeFedGraph } from '../../../core/engine/code-fed-graph.ts';
import { FIXTURE_MODELS, readGolden } from './fixture-models.ts';

const PACKAGE = path.join(FIXTURE_MODELS, 'fixture-credit', '1');

/** The category table of each string input of the graph, from the package's schema (code 0: missing). */
async function categoryTables(session: ort.InferenceSession) {
  const pkg = await loadModelPackage(PACKAGE);
  return session.inputMetadata
    .filter((input) => input.isTensor && input.type === 'string')
    .map(({ name }) => ({ name, table: ['', ...pkg.schema.fieldsByName.get(name)!.categories!] }));
}

describe('codeFedGraph', () => {
  it('derives a graph that, fed with category codes, gives the probabilities of the string-fed graph', async () => {
    const model = readFileSync(path.join(PACKAGE, 'model.onnx'));
    const plain = await ort.InferenceSession.create(model);
    const tables = await categoryTables(plain);
    const coded = await ort.InferenceSession.create(codeFedGraph(model, tables));
    const golden = readGolden(PACKAGE);
    const rows = golden.length;
    const stringFeeds: Record<string, ort.Tensor> = {};
    const codeFeeds: Record<string, ort.Tensor> = {};
    for (const input of plain.inputMetadata) {
      const category = tables.find((table) => table.name === input.name);
      const values = golden.map((row) => row.input[input.name] ?? null);
      if (category) {
        const strings = values.map((value) => (typeof value === 'string' ? value : ''));
        stringFeeds[input.name] = new ort.Tensor('string', strings, [rows, 1]);
        const codes = Uint16Array.from(strings, (value) => Math.max(0, category.table.indexOf(value)));
        codeFeeds[input.name + CODE_SUFFIX] = new ort.Tensor('uint16', codes, [rows, 1]);
      } else {
        const numbers = Float32Array.from(values, (value) => (typeof value === 'number' ? value : NaN));
        stringFeeds[input.name] = codeFeeds[input.name] = new ort.Tensor('float32', numbers, [rows, 1]);
      }
    }
    expect(Object.keys(codeFeeds).some((name) => name.endsWith(CODE_SUFFIX))).toBe(true);
    const output = plain.outputNames.find((name) => name.includes('prob')) ?? plain.outputNames[0]!;
    const expected = Array.from((await plain.run(stringFeeds))[output]!.data as Float32Array);
    const actual = Array.from((await coded.run(codeFeeds))[output]!.data as Float32Array);
    expect(actual).toEqual(expected);
    await Promise.all([plain.release(), coded.release()]);
  });

  it('folds the LabelEncoder into a table read by code, giving the string-fed answer for every code', async () => {
    const model = readFileSync(path.join(PACKAGE, 'model.onnx'));
    expect(Buffer.from(model).includes('LabelEncoder')).toBe(true);
    const plain = await ort.InferenceSession.create(model);
    const tables = await categoryTables(plain);
    const derived = codeFedGraph(model, tables);
    expect(Buffer.from(derived).includes('LabelEncoder')).toBe(false);
    const coded = await ort.InferenceSession.create(derived);
    const base = readGolden(PACKAGE)[0]!.input;
    // One row per code of every category (code 0, the missing value, included; a string no key matches is the
    // encoder's default), the other inputs as in the first golden applicant.
    const rows = tables.flatMap(({ name, table }) => table.map((_, code) => ({ name, code })));
    const stringFeeds: Record<string, ort.Tensor> = {};
    const codeFeeds: Record<string, ort.Tensor> = {};
    for (const input of plain.inputMetadata) {
      const category = tables.find((table) => table.name === input.name);
      if (category) {
        const codes = Uint16Array.from(rows, (row) => {
          if (row.name === input.name) return row.code;
          const value = base[input.name];
          return Math.max(0, category.table.indexOf(typeof value === 'string' ? value : ''));
        });
        stringFeeds[input.name] = new ort.Tensor(
          'string',
          Array.from(codes, (code) => category.table[code]!),
          [rows.length, 1],
        );
        codeFeeds[input.name + CODE_SUFFIX] = new ort.Tensor('uint16', codes, [rows.length, 1]);
      } else {
        const value = base[input.name];
        const numbers = new Float32Array(rows.length).fill(typeof value === 'number' ? value : NaN);
        stringFeeds[input.name] = codeFeeds[input.name] = new ort.Tensor('float32', numbers, [rows.length, 1]);
      }
    }
    const output = plain.outputNames.find((name) => name.includes('prob')) ?? plain.outputNames[0]!;
    const expected = Array.from((await plain.run(stringFeeds))[output]!.data as Float32Array);
    const actual = Array.from((await coded.run(codeFeeds))[output]!.data as Float32Array);
    expect(new Set(expected).size).toBeGreaterThan(1);
    expect(actual).toEqual(expected);
    await Promise.all([plain.release(), coded.release()]);
  });

  it('refuses a category the graph has no string input for', async () => {
    const model = readFileSync(path.join(PACKAGE, 'model.onnx'));
    expect(() => codeFedGraph(model, [{ name: 'NOT_AN_INPUT', table: [''] }])).toThrow(
      'no string graph input named NOT_AN_INPUT',
    );
  });

  it('refuses bytes that are not a protobuf message', () => {
    expect(() => codeFedGraph(Uint8Array.from([0x0a, 0xff, 0xff]), [{ name: 'X', table: [''] }])).toThrow();
  });
});
