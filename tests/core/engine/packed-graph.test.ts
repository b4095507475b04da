import { readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../../core/contract/index.ts';
import { createEngine } from '../../../core/engine/index.ts';
import { PACKED_CODES, PACKED_FLOATS, packedGraph } from '../../../core/engine/packed-graph.ts';
import { FIXTURE_MODELS, readGolden } from './fixture-models.ts';

const PACKAGE = path.join(FIXTURE_MODELS, 'fixture-credit', '1');

describe('packedGraph', () => {
  it('derives a graph that, fed two packed tensors, gives exactly the probabilities of the package graph', async () => {
    const model = readFileSync(path.join(PACKAGE, 'model.onnx'));
    const pkg = await loadModelPackage(PACKAGE);
    const plain = await ort.InferenceSession.create(model);
    const inputs = plain.inputMetadata.filter((input) => input.isTensor);
    const floats = inputs.filter((input) => input.type !== 'string').map((input) => input.name);
    const categories = inputs
      .filter((input) => input.type === 'string')
      .map(({ name }) => ({ name, table: ['', ...pkg.schema.fieldsByName.get(name)!.categories!] }));
    const packed = await ort.InferenceSession.create(packedGraph(model, floats, categories));
    expect(packed.inputNames).toEqual([PACKED_FLOATS, PACKED_CODES]);
    const golden = readGolden(PACKAGE);
    const rows = golden.length;
    const plainFeeds: Record<string, ort.Tensor> = {};
    const floatData = new Float32Array(rows * floats.length);
    const codeData = new Uint16Array(rows * categories.length);
    golden.forEach((row, i) => {
      floats.forEach((name, j) => {
        const value = row.input[name];
        floatData[i * floats.length + j] = typeof value === 'number' ? value : NaN;
      });
      categories.forEach(({ name, table }, j) => {
        const value = row.input[name];
        codeData[i * categories.length + j] = Math.max(0, table.indexOf(typeof value === 'string' ? value : ''));
      });
    });
    for (const name of floats) {
      const values = golden.map((row) => row.input[name]);
      plainFeeds[name] = new ort.Tensor(
        'float32',
        Float32Array.from(values, (value) => (typeof value === 'number' ? value : NaN)),
        [rows, 1],
      );
    }
    for (const { name } of categories) {
      const values = golden.map((row) => row.input[name]);
      plainFeeds[name] = new ort.Tensor(
        'string',
        values.map((value) => (typeof value === 'string' ? value : '')),
        [rows, 1],
      );
    }
    const output = plain.outputNames.find((name) => name.includes('prob')) ?? plain.outputNames[0]!;
    const expected = Array.from((await plain.run(plainFeeds))[output]!.data as Float32Array);
    const actual = Array.from(
      (
        await packed.run({
          [PACKED_FLOATS]: new ort.Tensor('float32', floatData, [rows, floats.length]),
          [PACKED_CODES]: new ort.Tensor('uint16', codeData, [rows, categories.length]),
        })
      )[output]!.data as Float32Array,
    );
    expect(actual).toEqual(expected);
    await Promise.all([plain.release(), packed.release()]);
  });

  it('refuses an input the graph does not have', () => {
    const model = readFileSync(path.join(PACKAGE, 'model.onnx'));
    expect(() => packedGraph(model, ['NOT_AN_INPUT'], [])).toThrow('no graph input named NOT_AN_INPUT');
  });

  it('is what the engine feeds: no fallback note is logged when the engine loads', async () => {
    const notes: string[] = [];
    const engine = await createEngine({
      modelsDir: FIXTURE_MODELS,
      champion: PACKAGE,
      fallback: null,
      workers: 1,
      log: (message) => notes.push(message),
    });
    await engine.close();
    expect(notes.filter((note) => note.includes('fed one tensor each'))).toEqual([]);
  });
});
