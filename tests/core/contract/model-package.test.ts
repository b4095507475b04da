import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadModelPackage, PackageError } from '../../../core/contract/index.ts';

const MLMODEL = `artifact_path: model
flavors:
  onnx:
    onnx_version: 1.17.0
    data: model.onnx
model_uuid: 0f1e2d3c
run_id: r1
utc_time_created: '2026-11-21 10:00:00.000000'
metadata:
  format_version: 1
  name: credit-default
  version: "7"
  kind: lightgbm
  threshold: 0.11
  output: {name: probabilities, layout: "[N,2]", class_index: 1}
`;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-package-'));
  mkdirSync(path.join(dir, 'reference'));
  writeFileSync(path.join(dir, 'MLmodel'), MLMODEL);
  copyFileSync(new URL('../../fixtures/input_schema.json', import.meta.url), path.join(dir, 'input_schema.json'));
  for (const file of [
    'model.onnx',
    'reference/profile.json',
    'reference/sample.csv.gz',
    'metrics.json',
    'golden.jsonl',
  ]) {
    writeFileSync(path.join(dir, file), file.endsWith('profile.json') ? '{"fields":{}}' : '{}');
  }
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function loadError(): Promise<PackageError> {
  const error = await loadModelPackage(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PackageError);
  return error as PackageError;
}

describe('model package loader', () => {
  it('reads the name, version, threshold, output and schema of a complete package', async () => {
    const pkg = await loadModelPackage(dir);
    expect(pkg).toMatchObject({ name: 'credit-default', version: '7', kind: 'lightgbm', threshold: 0.11 });
    expect(pkg.output).toEqual({ name: 'probabilities', layout: '[N,2]', classIndex: 1 });
    expect(pkg.schema.fields).toHaveLength(28);
    expect(pkg.files.onnx).toBe(path.join(dir, 'model.onnx'));
  });

  it('names the missing file', async () => {
    rmSync(path.join(dir, 'model.onnx'));
    const error = await loadError();
    expect(error.file).toBe(path.join(dir, 'model.onnx'));
    expect(error.message).toContain('missing');
  });

  it('refuses an empty model file', async () => {
    writeFileSync(path.join(dir, 'model.onnx'), '');
    expect((await loadError()).message).toContain('empty');
  });

  it('refuses an MLmodel that is not YAML', async () => {
    writeFileSync(path.join(dir, 'MLmodel'), 'flavors: [unclosed');
    expect((await loadError()).message).toMatch(/MLmodel: is not valid YAML/);
  });

  it('refuses a threshold outside (0, 1)', async () => {
    writeFileSync(path.join(dir, 'MLmodel'), MLMODEL.replace('threshold: 0.11', 'threshold: 1.5'));
    expect((await loadError()).message).toContain('metadata.threshold');
  });

  it('refuses an unknown output layout', async () => {
    writeFileSync(path.join(dir, 'MLmodel'), MLMODEL.replace('"[N,2]"', '"[N,3]"'));
    expect((await loadError()).message).toContain('metadata.output.layout');
  });

  it('refuses an input schema that is not JSON and names it', async () => {
    writeFileSync(path.join(dir, 'input_schema.json'), '{not json');
    const error = await loadError();
    expect(error.file).toBe(path.join(dir, 'input_schema.json'));
  });

  it('refuses an input schema that allows unknown fields', async () => {
    writeFileSync(path.join(dir, 'input_schema.json'), JSON.stringify({ type: 'object', properties: {} }));
    expect((await loadError()).message).toContain('additionalProperties');
  });
});
