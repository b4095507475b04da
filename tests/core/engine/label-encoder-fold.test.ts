import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../../core/contract/index.ts';
import { foldableEncoders } from '../../../core/engine/label-encoder-fold.ts';
import { bytesField, concat, readFields } from '../../../core/engine/protobuf-wire.ts';
import { FIXTURE_MODELS } from './fixture-models.ts';

const PACKAGE = path.join(FIXTURE_MODELS, 'fixture-credit', '1');

async function graphAndTables() {
  const top = readFields(readFileSync(path.join(PACKAGE, 'model.onnx')));
  const graph = readFields(top.find((field) => field.field === 7)!.payload!);
  const pkg = await loadModelPackage(PACKAGE);
  const tables = new Map([['CODE_GENDER', ['', ...pkg.schema.fieldsByName.get('CODE_GENDER')!.categories!]]]);
  return { graph, tables };
}

/** A NodeProto field: `op` reading `input` into `output`. */
const node = (op: string, input: string, output: string) =>
  readFields(bytesField(1, concat([bytesField(1, input), bytesField(2, output), bytesField(4, op)])))[0]!;

describe('foldableEncoders', () => {
  it("folds the encoder that is a category input's only reader", async () => {
    const { graph, tables } = await graphAndTables();
    const folded = foldableEncoders(graph, tables);
    expect([...folded.keys()]).toEqual(['CODE_GENDER']);
    expect(folded.get('CODE_GENDER')!.map((encoder) => encoder.output)).toEqual(['t_gender']);
  });

  it('leaves the string in place when another node also reads the input', async () => {
    const { graph, tables } = await graphAndTables();
    expect(foldableEncoders([...graph, node('Identity', 'CODE_GENDER', 'gender_copy')], tables).size).toBe(0);
  });

  it('leaves an input no encoder reads alone', async () => {
    const { graph } = await graphAndTables();
    expect(foldableEncoders(graph, new Map([['AMT_CREDIT', ['']]])).size).toBe(0);
  });
});
