import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type BatchEvent, type ScoringEngine } from '../../../core/engine/index.ts';
import { FIXTURE_MODELS, readGolden } from './fixture-models.ts';
import { join } from 'node:path';

let engine: ScoringEngine | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
});

describe('stage timings of a micro-batch', () => {
  it('reports queue, packing, transfer, inference and return for every batch it runs', async () => {
    const events: BatchEvent[] = [];
    engine = await createEngine({
      modelsDir: FIXTURE_MODELS,
      workers: 1,
      fallback: null,
      observer: { batch: (event) => events.push(event) },
    });
    const golden = readGolden(join(FIXTURE_MODELS, 'fixture-credit', '1'));
    await Promise.all(golden.map((row) => engine!.score(row.input)));
    expect(events.length).toBeGreaterThan(0);
    expect(events.reduce((sum, event) => sum + event.size, 0)).toBe(golden.length);
    for (const event of events) {
      const stages = event.stages!;
      for (const value of Object.values(stages)) expect(value).toBeGreaterThanOrEqual(0);
      expect(stages.inferenceMs).toBe(event.inferenceMs);
      expect(stages.queueMs).toBe(event.queueMs);
    }
  });

  it('scores the golden applicants the same with graph optimisation disabled', async () => {
    const golden = readGolden(join(FIXTURE_MODELS, 'fixture-credit', '1'));
    engine = await createEngine({
      modelsDir: FIXTURE_MODELS,
      workers: 1,
      fallback: null,
      graphOptimizationLevel: 'disabled',
    });
    const results = await engine.scoreMany(golden.map((row) => row.input));
    results.forEach((result, i) => expect(result.probability).toBeCloseTo(golden[i]!.expected_probability, 5));
  });
});
