import { describe, expect, it } from 'vitest';
import { analyzeDrift, driftConfig, referenceFromColumns, type ColumnData } from '../../../core/analysis/index.ts';

/** Deterministic pseudo-normal values (sum of uniforms) around `mean`. */
function normals(n: number, mean: number, seed: number): Float64Array {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Float64Array.from({ length: n }, () => mean + (next() + next() + next() + next() - 2) * 1.7);
}

function categories(n: number, shareOfB: number): ColumnData['categories'] {
  const codes = Int32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000 < shareOfB * 1000 ? 1 : 0));
  return new Map([['GRADE', { codes, labels: ['A', 'B'] }]]);
}

function columns(values: Float64Array, cats: ColumnData['categories']) {
  return { count: values.length, numbers: new Map([['AMOUNT', values]]), categories: cats };
}

function analyse(reference: ReturnType<typeof columns>, current: ReturnType<typeof columns>, vote?: 'any') {
  return analyzeDrift({
    reference: referenceFromColumns(reference, 'ref', 'file'),
    current,
    config: driftConfig(vote ? { vote } : {}),
  });
}

describe('the default verdict rule', () => {
  it('lets an effect size decide at scale: a negligible shift that KS rejects is not drift', () => {
    const reference = columns(normals(200_000, 0, 1), categories(200_000, 0.3));
    const current = columns(normals(200_000, 0.05, 2), categories(200_000, 0.31));
    const auto = analyse(reference, current);
    const amount = auto.fields.find((f) => f.name === 'AMOUNT')!;
    expect(amount.methods.ks!.drifted).toBe(true);
    expect(amount.methods.wasserstein!.statistic).toBeLessThan(0.1);
    expect(amount.decidedBy).toEqual(['wasserstein']);
    expect(amount.drifted).toBe(false);
    const grade = auto.fields.find((f) => f.name === 'GRADE')!;
    expect(grade.decidedBy).toEqual(['jensen_shannon']);
    expect(auto.config.vote).toBe('auto');
    // --vote any keeps the old, test-driven behaviour for those who want it.
    const any = analyse(reference, current, 'any').fields.find((f) => f.name === 'AMOUNT')!;
    expect(any.drifted).toBe(true);
    expect(any.decidedBy).toEqual(['psi', 'ks', 'wasserstein']);
  });

  it('lets the hypothesis test decide on a small reference', () => {
    const reference = columns(normals(800, 0, 3), categories(800, 0.3));
    const current = columns(normals(800, 1.5, 4), categories(800, 0.6));
    const result = analyse(reference, current);
    const amount = result.fields.find((f) => f.name === 'AMOUNT')!;
    expect(amount.decidedBy).toEqual(['ks']);
    expect(amount.drifted).toBe(true);
    const grade = result.fields.find((f) => f.name === 'GRADE')!;
    expect(grade.decidedBy).toEqual(['chi2']);
    expect(grade.drifted).toBe(true);
  });

  it('falls back to a method that ran when the preferred one was not selected', () => {
    const reference = columns(normals(5000, 0, 5), categories(5000, 0.3));
    const current = columns(normals(5000, 3, 6), categories(5000, 0.3));
    const result = analyzeDrift({
      reference: referenceFromColumns(reference, 'ref', 'file'),
      current,
      config: driftConfig({ methods: ['psi', 'chi2'] }),
    });
    expect(result.fields.find((f) => f.name === 'AMOUNT')!.decidedBy).toEqual(['psi']);
    expect(result.fields.find((f) => f.name === 'GRADE')!.decidedBy).toEqual(['chi2']);
  });
});
