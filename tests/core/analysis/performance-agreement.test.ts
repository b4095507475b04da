/**
 * The performance metrics pinned against scikit-learn and NannyML (tests/fixtures/performance/generate_fixtures.py):
 * realised ROC AUC and Brier to 1e-9, the isotonic calibration to 1e-9, CBPE within the tolerances stated here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { brierScore, estimateWindow, fitCbpe, fitIsotonic, rocAuc } from '../../../core/analysis/performance/index.ts';

interface Estimate {
  value: number;
  sampling_error: number;
  lower: number;
  upper: number;
}
const fixtures = JSON.parse(
  readFileSync(new URL('../../fixtures/performance/performance-fixtures.json', import.meta.url), 'utf8'),
) as {
  auc: Array<{ name: string; probability: number[]; outcome: number[]; roc_auc: number; brier: number }>;
  isotonic: { probability: number[]; outcome: number[]; probe: number[]; calibrated: number[] };
  cbpe: {
    threshold: number;
    needs_calibration: boolean;
    reference: { probability: number[]; outcome: number[] };
    chunks: Array<{ probability: number[] }>;
    nannyml: Array<
      Record<'roc_auc' | 'true_positive' | 'false_positive' | 'true_negative' | 'false_negative', Estimate>
    >;
  };
};

const refusedOf = (probabilities: number[], threshold: number) => probabilities.map((p) => (p >= threshold ? 1 : 0));

describe('realised metrics against scikit-learn', () => {
  for (const c of fixtures.auc) {
    it(`ROC AUC equals roc_auc_score to 1e-9 (${c.name})`, () => {
      expect(Math.abs(rocAuc(c.probability, c.outcome)! - c.roc_auc)).toBeLessThan(1e-9);
    });
    it(`Brier equals brier_score_loss to 1e-9 (${c.name})`, () => {
      expect(Math.abs(brierScore(c.probability, c.outcome)! - c.brier)).toBeLessThan(1e-9);
    });
  }

  it('ROC AUC is undefined when one class is missing', () => {
    expect(rocAuc([0.1, 0.4], [0, 0])).toBeNull();
  });

  it('isotonic calibration equals IsotonicRegression(out_of_bounds="clip") to 1e-9', () => {
    const { probability, outcome, probe, calibrated } = fixtures.isotonic;
    const calibrate = fitIsotonic(probability, outcome);
    probe.forEach((p, i) => expect(Math.abs(calibrate(p) - calibrated[i]!)).toBeLessThan(1e-9));
  });
});

describe('CBPE against NannyML', () => {
  const { reference, chunks, nannyml, threshold } = fixtures.cbpe;
  const fitted = fitCbpe(reference.probability, reference.outcome, refusedOf(reference.probability, threshold))!;

  it('NannyML judged the fixture to need calibration, as Vigie always calibrates', () => {
    expect(fixtures.cbpe.needs_calibration).toBe(true);
  });

  chunks.forEach((chunk, index) => {
    const ours = estimateWindow(fitted, chunk.probability, refusedOf(chunk.probability, threshold));
    const theirs = nannyml[index]!;
    it(`estimated ROC AUC agrees within 1e-6 and its band within 1e-6 (chunk ${index})`, () => {
      expect(Math.abs(ours.rocAuc! - theirs.roc_auc.value)).toBeLessThan(1e-6);
      expect(Math.abs(ours.rocAucLower! - theirs.roc_auc.lower)).toBeLessThan(1e-6);
      expect(Math.abs(ours.rocAucUpper! - theirs.roc_auc.upper)).toBeLessThan(1e-6);
    });
    it(`estimated confusion counts and their sampling errors agree within 1e-6 (chunk ${index})`, () => {
      expect(Math.abs(ours.confusion.truePositives - theirs.true_positive.value)).toBeLessThan(1e-6);
      expect(Math.abs(ours.confusion.falsePositives - theirs.false_positive.value)).toBeLessThan(1e-6);
      expect(Math.abs(ours.confusion.trueNegatives - theirs.true_negative.value)).toBeLessThan(1e-6);
      expect(Math.abs(ours.confusion.falseNegatives - theirs.false_negative.value)).toBeLessThan(1e-6);
      expect(Math.abs(ours.confusionError.truePositives - theirs.true_positive.sampling_error)).toBeLessThan(1e-6);
      expect(Math.abs(ours.confusionError.falseNegatives - theirs.false_negative.sampling_error)).toBeLessThan(1e-6);
    });
  });
});
