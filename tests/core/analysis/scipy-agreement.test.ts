import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chi2Contingency,
  chiSquareSf,
  jensenShannonDistance,
  kolmogorovSf,
  ks2samp,
  psi,
  referenceBinsOf,
  wasserstein,
  wassersteinDistance,
} from '../../../core/analysis/stats/index.ts';

interface NumericCase {
  name: string;
  reference: Array<number | null>;
  current: Array<number | null>;
  ks: { statistic: number; p_value: number };
  wasserstein: { distance: number; reference_std: number; statistic: number };
  psi: { statistic: number; edges: number[]; reference_counts: number[] };
}
interface CategoricalCase {
  name: string;
  reference: Record<string, number>;
  current: Record<string, number>;
  chi2: { statistic: number; p_value: number; dof: number };
  jensen_shannon: { statistic: number };
}
const fixtures = JSON.parse(
  readFileSync(new URL('../../fixtures/drift/scipy-fixtures.json', import.meta.url), 'utf8'),
) as {
  numeric: NumericCase[];
  categorical: CategoricalCase[];
  kstwo_sf: Array<{ n: number; x: number; sf: number }>;
  chi2_sf: Array<{ dof: number; x: number; sf: number }>;
};

/** CONTRACT.md section 4: 1e-9 relative, or 1e-12 absolute for values below 1e-12. */
function expectClose(actual: number, expected: number, what: string): void {
  const tolerance = Math.max(1e-9 * Math.abs(expected), 1e-12);
  expect(Math.abs(actual - expected), `${what}: got ${actual}, SciPy ${expected}`).toBeLessThanOrEqual(tolerance);
}

function sortedPresent(values: Array<number | null>): Float64Array {
  return Float64Array.from(values.filter((v): v is number => v !== null)).sort();
}

const counts = (record: Record<string, number>) => new Map(Object.entries(record));

describe.each(fixtures.numeric)('numeric fixture $name', (fixture) => {
  const reference = sortedPresent(fixture.reference);
  const current = sortedPresent(fixture.current);

  it('matches scipy.stats.ks_2samp statistic and p-value', () => {
    const result = ks2samp(reference, current);
    expectClose(result.statistic, fixture.ks.statistic, 'KS statistic');
    expectClose(result.pValue, fixture.ks.p_value, 'KS p-value');
  });

  it('matches scipy.stats.wasserstein_distance and the std-scaled statistic', () => {
    expectClose(wassersteinDistance(reference, current), fixture.wasserstein.distance, 'distance');
    expectClose(wasserstein(reference, current).statistic, fixture.wasserstein.statistic, 'scaled distance');
  });

  it('matches the NumPy PSI: decile edges, reference counts and the index', () => {
    const bins = referenceBinsOf(reference);
    expect(bins.edges.length).toBe(fixture.psi.edges.length);
    bins.edges.forEach((edge, i) => expectClose(edge, fixture.psi.edges[i]!, `edge ${i}`));
    expect(bins.counts).toEqual(fixture.psi.reference_counts);
    expectClose(psi(reference, current).statistic, fixture.psi.statistic, 'PSI');
  });
});

describe.each(fixtures.categorical)('categorical fixture $name', (fixture) => {
  it('matches scipy.stats.chi2_contingency', () => {
    const result = chi2Contingency(counts(fixture.reference), counts(fixture.current));
    expect(result.dof).toBe(fixture.chi2.dof);
    expectClose(result.statistic, fixture.chi2.statistic, 'chi-square statistic');
    expectClose(result.pValue, fixture.chi2.p_value, 'chi-square p-value');
  });

  it('matches scipy.spatial.distance.jensenshannon with base 2', () => {
    const result = jensenShannonDistance(counts(fixture.reference), counts(fixture.current));
    expectClose(result, fixture.jensen_shannon.statistic, 'Jensen-Shannon');
  });
});

describe('distribution functions', () => {
  it('kstwo survival function matches SciPy on every branch of its grid', () => {
    for (const row of fixtures.kstwo_sf)
      expectClose(kolmogorovSf(row.n, row.x), row.sf, `kstwo.sf(${row.x}, ${row.n})`);
  });

  it('chi-square survival function matches SciPy on its grid', () => {
    for (const row of fixtures.chi2_sf)
      expectClose(chiSquareSf(row.x, row.dof), row.sf, `chi2.sf(${row.x}, ${row.dof})`);
  });
});
