import { describe, expect, it } from 'vitest';
import { ageBand, pairedChangeCi, rocAuc } from '../../../core/replay/index.ts';

describe('replay statistics', () => {
  it('computes ROC AUC as sklearn.metrics.roc_auc_score, ties counted half', () => {
    // sklearn's documented example: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    expect(rocAuc(new Float64Array([0.1, 0.4, 0.35, 0.8]), new Uint8Array([0, 0, 1, 1]))).toBeCloseTo(0.75, 12);
    expect(rocAuc(new Float64Array([0.5, 0.5, 0.5]), new Uint8Array([0, 1, 0]))).toBeCloseTo(0.5, 12);
    expect(rocAuc(new Float64Array([0.2, 0.3]), new Uint8Array([1, 1]))).toBeNull();
  });

  it('gives the paired interval of an approval-rate change from its discordant counts', () => {
    const [low, high] = pairedChangeCi(30, 10, 1000);
    const half = 1.959964 * Math.sqrt((40 - 400 / 1000) / 1e6);
    expect(low).toBeCloseTo(0.02 - half, 12);
    expect(high).toBeCloseTo(0.02 + half, 12);
    expect(pairedChangeCi(0, 0, 500)).toEqual([0, 0]);
  });

  it('puts ages into the review bands', () => {
    expect(ageBand(-20 * 365.25)).toBe('18–24');
    expect(ageBand(-25 * 365.25)).toBe('25–34');
    expect(ageBand(-69 * 365.25)).toBe('55+');
    expect(ageBand(null)).toBe('(missing)');
  });
});
