import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileInputSchema } from '../../../core/contract/index.ts';
import { decisionOf, findFlips, type Explainer } from '../../../core/explain/index.ts';
import { committedExplainer } from './explain-helpers.ts';

const schema = compileInputSchema({
  type: 'object',
  additionalProperties: false,
  required: ['EXT_SOURCE_2', 'CNT_CHILDREN'],
  properties: {
    EXT_SOURCE_2: { type: 'number', minimum: 0, maximum: 1 },
    CNT_CHILDREN: { type: 'integer', minimum: 0, maximum: 20 },
  },
});

describe('what flips the decision', () => {
  it('finds the known threshold crossing of a monotone field and nothing for a field without effect', async () => {
    // Risk falls as EXT_SOURCE_2 rises: refused (p ≥ 0.5) once EXT_SOURCE_2 ≤ 0.5.
    const f = async (rows: readonly Record<string, unknown>[]) =>
      Float64Array.from(rows, (row) => 1 - (row.EXT_SOURCE_2 as number));
    const result = await findFlips(
      f,
      { EXT_SOURCE_2: 0.8, CNT_CHILDREN: 1 },
      {
        threshold: 0.5,
        fields: schema.fields,
        sorted: new Map([
          ['EXT_SOURCE_2', Float64Array.from([0, 0.25, 0.5, 0.75, 1])],
          ['CNT_CHILDREN', Float64Array.from([0, 1, 2, 5])],
        ]),
      },
    );
    expect(result.decision).toBe('approve');
    const ext = result.rows.find((r) => r.field === 'EXT_SOURCE_2')!;
    expect(ext.to).toBeCloseTo(0.5, 3);
    expect(ext.to as number).toBeLessThanOrEqual(0.5);
    expect(ext.probability!).toBeGreaterThanOrEqual(0.5);
    expect(result.rows[0]!.field).toBe('EXT_SOURCE_2');
    expect(result.rows.find((r) => r.field === 'CNT_CHILDREN')!.to).toBeNull();
  });

  describe('on the champion', () => {
    let explainer: Explainer;
    beforeAll(async () => void (explainer = await committedExplainer()));
    afterAll(async () => explainer.close());

    it('lists changes that really cross the threshold, smallest first', async () => {
      const applicant = (await explainer.golden(1))[0]!.applicant;
      const result = await explainer.flips(applicant);
      const found = result.rows.filter((r) => r.to !== null && r.size !== null);
      expect(found.length).toBeGreaterThan(0);
      for (let i = 1; i < found.length; i += 1) expect(found[i]!.size!).toBeGreaterThanOrEqual(found[i - 1]!.size!);
      const flipped = found.map((r) => ({ ...applicant, [r.field]: r.to }));
      const p = await explainer.models.probabilities('champion', flipped);
      for (const value of p) expect(decisionOf(value, result.threshold)).not.toBe(result.decision);
    });

    it('traces 100 points for each of the three models with the current value on the grid', async () => {
      const applicant = explainer.typical();
      const curve = await explainer.sensitivity(applicant, 'EXT_SOURCE_2', { points: 100 });
      expect(curve.points).toHaveLength(100);
      expect(curve.points).toContain(applicant.EXT_SOURCE_2);
      expect(curve.series.map((s) => s.role)).toEqual(['champion', 'challenger', 'fallback']);
      const champion = curve.series[0]!.probabilities;
      expect(champion[0]!).toBeGreaterThan(champion[champion.length - 1]!);
    });
  });
});
