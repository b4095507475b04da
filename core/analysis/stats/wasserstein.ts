/**
 * Wasserstein-1 distance divided by the reference's standard deviation (CONTRACT.md section 4):
 * scipy.stats.wasserstein_distance(reference, current) / numpy.std(reference), or the raw distance when that
 * deviation is 0. The distance is the integral of |U − V| between the two empirical CDFs.
 */
import { CompensatedSum, standardDeviation } from './quantile.ts';
import { requireNonEmpty, type MethodOptions, type SortedNumbers, type TestResult } from './types.ts';

export const WASSERSTEIN_DEFAULT_THRESHOLD = 0.1;

/** scipy.stats.wasserstein_distance for two sorted samples with equal weights. */
export function wassersteinDistance(u: SortedNumbers, v: SortedNumbers): number {
  requireNonEmpty(u.length, 'reference', 'Wasserstein');
  requireNonEmpty(v.length, 'current', 'Wasserstein');
  const nu = u.length;
  const nv = v.length;
  let i = 0;
  let j = 0;
  let previous = Math.min(u[0]!, v[0]!);
  const total = new CompensatedSum();
  while (i < nu || j < nv) {
    const value = j >= nv || (i < nu && u[i]! <= v[j]!) ? u[i]! : v[j]!;
    total.add(Math.abs(i / nu - j / nv) * (value - previous));
    while (i < nu && u[i]! <= value) i += 1;
    while (j < nv && v[j]! <= value) j += 1;
    previous = value;
  }
  return total.value;
}

export interface WassersteinOptions extends MethodOptions {
  /** The reference's standard deviation when known already (e.g. from a profile); computed otherwise. */
  referenceStd?: number;
}

export function wasserstein(
  reference: SortedNumbers,
  current: SortedNumbers,
  options: WassersteinOptions = {},
): TestResult {
  const distance = wassersteinDistance(reference, current);
  const std = options.referenceStd ?? standardDeviation(reference);
  const statistic = std > 0 ? distance / std : distance;
  const threshold = options.threshold ?? WASSERSTEIN_DEFAULT_THRESHOLD;
  return { statistic, pValue: null, threshold, drifted: statistic >= threshold };
}
