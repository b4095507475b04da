/** The drift helper (a worker on the second core) must change nothing in what is read and computed. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  analyzeDrift,
  analyzeDriftInParallel,
  driftConfig,
  DriftHelper,
  driftToJson,
  readCsvFile,
  referenceFromColumns,
} from '../../../../core/analysis/index.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-parallel-drift-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function csv(rows: number, shift: number): string {
  const lines = ['a,b,c,d,kind'];
  for (let i = 0; i < rows; i += 1) {
    const x = ((i * 7919) % 10007) / 100 + shift;
    lines.push(`${x},${i % 13},${i % 5 === 0 ? '' : (i % 997) / 7},${(i * 31) % 1000},${['x', 'y', 'z'][i % 3]}`);
  }
  return `${lines.join('\n')}\n`;
}

it('reads through the helper and compares on two cores exactly as on one thread', async () => {
  const referenceFile = path.join(dir, 'reference.csv');
  const currentFile = path.join(dir, 'current.csv');
  writeFileSync(referenceFile, csv(5_000, 0));
  writeFileSync(currentFile, csv(400_000, 10));
  const helper = DriftHelper.start();
  expect(helper).not.toBeNull();
  try {
    const ref = await readCsvFile(referenceFile, { helper });
    const viaHelper = await readCsvFile(currentFile, { helper });
    const alone = await readCsvFile(currentFile);
    for (const [name, values] of alone.numbers) expect(viaHelper.numbers.get(name)).toEqual(values);
    const input = {
      reference: referenceFromColumns({ ...ref, count: ref.rows }, referenceFile, 'file' as const),
      config: driftConfig(),
    };
    const one = analyzeDrift({ ...input, current: { ...alone, count: alone.rows } });
    const two = await analyzeDriftInParallel(
      { ...input, current: { ...viaHelper, count: viaHelper.rows } },
      { helper, transfer: true },
    );
    expect(JSON.stringify(driftToJson(two))).toBe(JSON.stringify(driftToJson(one)));
    expect(one.driftedFields).toContain('a');
  } finally {
    helper?.close();
  }
});

/** The columns of `data` moved into shared memory, as a store's large read gives them (db/chunk-reader.ts). */
function shared<T extends { numbers: Map<string, Float64Array> }>(data: T): T {
  const numbers = new Map<string, Float64Array>();
  for (const [name, values] of data.numbers) {
    const copy = new Float64Array(new SharedArrayBuffer(values.byteLength));
    copy.set(values);
    numbers.set(name, copy);
  }
  return { ...data, numbers };
}

it('compares columns in shared memory on two cores exactly as on one thread, and leaves them readable', async () => {
  const referenceFile = path.join(dir, 'reference.csv');
  const currentFile = path.join(dir, 'current.csv');
  writeFileSync(referenceFile, csv(5_000, 0));
  writeFileSync(currentFile, csv(300_000, 3));
  const ref = await readCsvFile(referenceFile);
  const current = await readCsvFile(currentFile);
  const probability = Float64Array.from({ length: current.rows }, (_, i) => ((i * 7919) % 1000) / 1000);
  const reference = referenceFromColumns(
    { ...ref, count: ref.rows, probability: Float64Array.from({ length: ref.rows }, (_, i) => (i % 900) / 1000) },
    referenceFile,
    'file',
  );
  const sharedProbability = new Float64Array(new SharedArrayBuffer(probability.byteLength));
  sharedProbability.set(probability);
  const input = { reference, config: driftConfig() };
  const one = analyzeDrift({ ...input, current: { ...current, count: current.rows, probability } });
  const columns = { ...shared(current), count: current.rows, probability: sharedProbability };
  const helper = DriftHelper.start();
  try {
    const two = await analyzeDriftInParallel({ ...input, current: columns }, { helper });
    expect(two.prediction).not.toBeNull();
    expect(JSON.stringify(driftToJson(two))).toBe(JSON.stringify(driftToJson(one)));
    for (const [name, values] of current.numbers) expect(columns.numbers.get(name)).toEqual(values);
    // A helper that has stopped leaves every field to this thread, with the same answer.
    helper?.close();
    const alone = await analyzeDriftInParallel({ ...input, current: columns }, { helper });
    expect(JSON.stringify(driftToJson(alone))).toBe(JSON.stringify(driftToJson(one)));
  } finally {
    helper?.close();
  }
});
