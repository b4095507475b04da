import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEngine,
  InvalidRow,
  scoreStream,
  type OfflineProgress,
  type ScoringEngine,
} from '../../../core/engine/index.ts';
import { copyFixtureModels, readGolden, type FixtureModels, type GoldenRow } from './fixture-models.ts';

let models: FixtureModels;
let engine: ScoringEngine;
let golden: GoldenRow[];

beforeAll(async () => {
  models = copyFixtureModels();
  engine = await createEngine({ modelsDir: models.modelsDir, fallback: null, workers: 1 });
  golden = readGolden(models.packageDir('1'));
});
afterAll(async () => {
  await engine.close();
  models.cleanup();
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('offline scoring stream', () => {
  it('yields one outcome per row in input order, with invalid and unreadable rows in place', async () => {
    const progress: OfflineProgress[] = [];
    const rows: unknown[] = golden.slice(0, 25).map((row) => row.input);
    rows.splice(3, 0, { ...golden[0]!.input, CODE_GENDER: 'Q' });
    rows.splice(
      7,
      0,
      new InvalidRow({ code: 'INVALID_JSON', issues: [{ path: '', code: 'invalid_json', message: 'bad' }] }),
    );
    const outcomes = await collect(scoreStream(engine, rows, { batchSize: 4, onProgress: (p) => progress.push(p) }));
    expect(outcomes.map((o) => o.index)).toEqual(rows.map((_, i) => i));
    expect(outcomes[3]).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', issues: [{ path: 'CODE_GENDER', code: 'unknown_category' }] },
    });
    expect(outcomes[7]).toMatchObject({ ok: false, error: { code: 'INVALID_JSON' } });
    const scored = outcomes.filter((o) => o.ok);
    expect(scored).toHaveLength(25);
    scored.forEach((o, i) => expect(o.ok && o.result.probability).toBeCloseTo(golden[i]!.expected_probability, 5));
    expect(progress.at(-1)).toEqual({ rows: 27, errors: 2 });
  });

  it('reads its source lazily, so memory stays bounded by the batches in flight', async () => {
    let read = 0;
    async function* endless() {
      for (;;) {
        read += 1;
        yield golden[read % golden.length]!.input;
      }
    }
    const stream = scoreStream(engine, endless(), { batchSize: 10 });
    const first = await stream.next();
    expect(first.value).toMatchObject({ index: 0, ok: true });
    expect(read).toBeLessThanOrEqual(50);
    await stream.return(undefined);
  });

  it('stops with the abort reason when its signal is aborted', async () => {
    const controller = new AbortController();
    async function* rows() {
      for (let i = 0; ; i += 1) {
        if (i === 30) controller.abort(new Error('cancelled by the user'));
        yield golden[i % golden.length]!.input;
      }
    }
    await expect(collect(scoreStream(engine, rows(), { batchSize: 8, signal: controller.signal }))).rejects.toThrow(
      'cancelled by the user',
    );
  });
});
