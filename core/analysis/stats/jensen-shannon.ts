/**
 * Jensen–Shannon distance, base 2, over the union of the categories (CONTRACT.md section 4), as
 * scipy.spatial.distance.jensenshannon(p_reference, p_current, base=2): both count vectors normalised, relative
 * entropies against their mid-point.
 */
import { categoryUnion } from './chi2.ts';
import { requireNonEmpty, type CategoryCounts, type MethodOptions, type TestResult } from './types.ts';

export const JENSEN_SHANNON_DEFAULT_THRESHOLD = 0.1;

/** scipy.special.rel_entr for finite non-negative inputs. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Number.POSITIVE_INFINITY;
}

export function jensenShannonDistance(reference: CategoryCounts, current: CategoryCounts): number {
  const categories = categoryUnion(reference, current);
  const p = categories.map((c) => reference.get(c) ?? 0);
  const q = categories.map((c) => current.get(c) ?? 0);
  const pSum = p.reduce((a, b) => a + b, 0);
  const qSum = q.reduce((a, b) => a + b, 0);
  requireNonEmpty(pSum, 'reference', 'Jensen-Shannon');
  requireNonEmpty(qSum, 'current', 'Jensen-Shannon');
  let left = 0;
  let right = 0;
  for (let k = 0; k < categories.length; k += 1) {
    const pk = p[k]! / pSum;
    const qk = q[k]! / qSum;
    const m = (pk + qk) / 2;
    left += relEntr(pk, m);
    right += relEntr(qk, m);
  }
  // Rounding can leave a hair below zero for identical distributions; SciPy would return NaN there.
  const js = Math.max(0, (left + right) / Math.log(2));
  return Math.sqrt(js / 2);
}

export function jensenShannon(
  reference: CategoryCounts,
  current: CategoryCounts,
  options: MethodOptions = {},
): TestResult {
  const statistic = jensenShannonDistance(reference, current);
  const threshold = options.threshold ?? JENSEN_SHANNON_DEFAULT_THRESHOLD;
  return { statistic, pValue: null, threshold, drifted: statistic >= threshold };
}
