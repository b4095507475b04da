import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileInputSchema, type LogRecord } from '../../../core/contract/index.ts';
import { createEngine, type ScoringEngine } from '../../../core/engine/index.ts';
import {
  engineScoring,
  generateTraffic,
  scoreTraffic,
  writeTrafficFiles,
  type TrafficManifest,
} from '../../../core/simulate/index.ts';
import { FIXTURE_MODELS } from '../engine/fixture-models.ts';

const schema = compileInputSchema(
  JSON.parse(readFileSync(new URL('../../fixtures/input_schema.json', import.meta.url), 'utf8')),
);

let engine: ScoringEngine;
beforeAll(async () => {
  engine = await createEngine({ modelsDir: FIXTURE_MODELS, champion: 'champion', fallback: null, workers: 1 });
});
afterAll(async () => {
  await engine.close();
});

const traffic = (scenario: 'stable' | 'incident' = 'stable') => [
  ...generateTraffic({ days: 2, rows: 600, seed: 3, scenario, schema }),
];

async function collect(records: AsyncIterable<LogRecord>): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const record of records) out.push(record);
  return out;
}

const answered = (record: LogRecord) => record.status === 'ok' && record.output !== null;

describe('scoreTraffic', () => {
  it('keeps the order and every record that was not answered unchanged', async () => {
    const before = traffic();
    const after = await collect(scoreTraffic(before, engine, { batchSize: 50 }));
    expect(after.map((record) => record.request_id)).toEqual(before.map((record) => record.request_id));
    before.forEach((record, i) => {
      if (!answered(record)) expect(after[i]).toEqual(record);
    });
    expect(before.some((record) => !answered(record))).toBe(true);
  });

  it('changes only the answer and the model of answered records', async () => {
    const before = traffic();
    const after = await collect(scoreTraffic(before, engine));
    before.forEach((record, i) => {
      if (!answered(record)) return;
      const { output: _o, model: _m, served_by: _s, degraded: _d, degraded_reason: _r, ...kept } = after[i]!;
      const { output: _o2, model: _m2, served_by: _s2, degraded: _d2, degraded_reason: _r2, ...original } = record;
      expect(kept).toEqual(original);
      expect(after[i]!.model).toEqual({ name: 'fixture-credit', version: '1', alias: 'champion' });
    });
  });

  it('writes the probability, decision and threshold the engine gives for the same input', async () => {
    const after = (await collect(scoreTraffic(traffic(), engine, { batchSize: 64 }))).filter(answered);
    for (const record of [after[0]!, after[17]!, after[after.length - 1]!]) {
      const checked = engine.schema.validate({ ...record.input, SK_ID_CURR: 42 });
      if (!checked.ok) throw new Error('a scored record no longer validates');
      const expected = await engine.score(checked.value);
      // Scored alone or in a batch, float32 kernels may differ in the last bits.
      expect(record.output!.probability).toBeCloseTo(expected.probability, 6);
      expect(record.output).toMatchObject({ decision: expected.decision, threshold: expected.threshold });
    }
  });

  it('gives the same records whatever the engine worker count', async () => {
    const two = await createEngine({ modelsDir: FIXTURE_MODELS, champion: 'champion', fallback: null, workers: 2 });
    try {
      const once = await collect(scoreTraffic(traffic(), engine));
      expect(await collect(scoreTraffic(traffic(), two))).toEqual(once);
    } finally {
      await two.close();
    }
  });

  it('turns the simulated fallback answers into the engine answers, without a degraded reason', async () => {
    const before = traffic('incident');
    expect(before.some((record) => record.served_by === 'fallback')).toBe(true);
    const after = await collect(scoreTraffic(before, engine));
    for (const record of after.filter(answered)) {
      expect(record).toMatchObject({ served_by: 'champion', degraded: false });
      expect(record.degraded_reason).toBeUndefined();
    }
  });

  it('scores the simulated fallback answers with the fallback model, keeping them degraded', async () => {
    const fallback = await createEngine({
      modelsDir: FIXTURE_MODELS,
      champion: 'fallback',
      fallback: null,
      workers: 1,
    });
    try {
      const before = traffic('incident');
      const after = await collect(scoreTraffic(before, engine, { fallback, batchSize: 40 }));
      const degraded = after.filter((record, i) => answered(record) && before[i]!.served_by === 'fallback');
      expect(degraded.length).toBeGreaterThan(0);
      for (const record of degraded) {
        expect(record).toMatchObject({
          served_by: 'fallback',
          degraded: true,
          degraded_reason: expect.stringMatching(/^champion /),
          model: { name: 'fixture-credit', version: '2', alias: 'fallback' },
        });
      }
      const first = degraded[0]!;
      const checked = fallback.schema.validate({ ...first.input, SK_ID_CURR: 7 });
      if (!checked.ok) throw new Error('a scored record no longer validates');
      expect(first.output!.probability).toBeCloseTo((await fallback.score(checked.value)).probability, 6);
      expect(after.filter((record) => answered(record) && record.served_by === 'champion').length).toBeGreaterThan(0);
    } finally {
      await fallback.close();
    }
  });

  it('names the record whose input does not fit the model schema', async () => {
    const [record] = traffic().filter(answered);
    const broken = { ...record!, input: { ...record!.input, AMT_CREDIT: 'lots' } };
    await expect(collect(scoreTraffic([broken], engine))).rejects.toThrow(
      new RegExp(`record ${broken.request_id} does not fit the model's input schema: .*AMT_CREDIT`),
    );
  });

  it('refuses a batch size that is not a positive integer', async () => {
    await expect(collect(scoreTraffic(traffic(), engine, { batchSize: 0 }))).rejects.toThrow(/batchSize/);
  });
});

describe('writeTrafficFiles with engine scoring', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigie-score-traffic-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (out: string, workers = 1) =>
    writeTrafficFiles({
      days: 2,
      rows: 500,
      seed: 5,
      schema,
      dir: path.join(dir, out),
      workers,
      score: engineScoring(engine, { batchSize: 100 }),
    });

  it('names the model in the manifest instead of the stand-in formula', async () => {
    const manifest: TrafficManifest = await write('named');
    expect(manifest.probabilities).toBe('scored by fixture-credit version 1 (alias champion)');
    expect(manifest.model).toEqual({ name: 'fixture-credit', version: '1', alias: 'champion' });
    expect(manifest.stand_in_formula).toBeUndefined();
  });

  it('writes byte-identical files for the same seed and model, also when workers are asked for', async () => {
    await write('one');
    await write('two', 2);
    const names = readdirSync(path.join(dir, 'one'));
    expect(names.length).toBeGreaterThan(2);
    for (const name of names) {
      expect(readFileSync(path.join(dir, 'two', name))).toEqual(readFileSync(path.join(dir, 'one', name)));
    }
  });
});
