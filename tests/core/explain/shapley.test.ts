import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Applicant } from '../../../core/contract/index.ts';
import { shapley, topReasons, type Explainer } from '../../../core/explain/index.ts';
import { committedExplainer } from './explain-helpers.ts';

let explainer: Explainer;
let applicant: Applicant;

beforeAll(async () => {
  explainer = await committedExplainer();
  applicant = (await explainer.golden(1))[0]!.applicant;
});
afterAll(async () => explainer.close());

describe('Shapley reasons by permutation sampling', () => {
  it('sum to f(x) − E[f] within the reported sampling error, then exactly after the adjustment', async () => {
    const result = await explainer.reasons(applicant, { evaluations: 2000, seed: 7 });
    expect(result.evaluations).toBeGreaterThanOrEqual(2000);
    expect(result.residualStandardError).toBeGreaterThan(0);
    expect(Math.abs(result.residual)).toBeLessThanOrEqual(3 * result.residualStandardError);
    const sum = result.contributions.reduce((total, c) => total + c.contribution, 0);
    expect(result.baseValue + sum).toBeCloseTo(result.probability, 12);
  });

  it('give the ignored SK_ID_CURR exactly 0', async () => {
    const result = await explainer.reasons(applicant, { evaluations: 500 });
    const id = result.contributions.find((c) => c.field === 'SK_ID_CURR')!;
    expect(id.contribution).toBe(0);
    expect(id.used).toBe(false);
  });

  it('give exactly 0 to a field whose value equals every background row’s', async () => {
    const background = explainer.sample.rows
      .slice(0, 500)
      .map((row) => ({ ...row, EXT_SOURCE_2: applicant.EXT_SOURCE_2! }));
    const champion = explainer.models.member('champion')!;
    const result = await shapley((rows) => explainer.models.probabilities('champion', rows), applicant, {
      fields: explainer.models.schema.fields,
      inputs: champion.inputs,
      background,
      baseValue: 0.08,
      evaluations: 800,
    });
    expect(result.contributions.find((c) => c.field === 'EXT_SOURCE_2')!.contribution).toBe(0);
    expect(result.contributions.find((c) => c.field === 'EXT_SOURCE_3')!.contribution).not.toBe(0);
  });

  it('put the top reasons in words with their direction and size in points', async () => {
    const result = await explainer.reasons(applicant, { evaluations: 1000 });
    const words = topReasons(result.contributions, 3);
    expect(words).toHaveLength(3);
    for (const line of words) expect(line).toMatch(/^[A-Z_0-9]+ = .+ (raises|lowers) the risk by \d+\.\d points$/);
  });
});
