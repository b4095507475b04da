/**
 * Chi-square test of homogeneity on the 2×k table [reference counts, current counts] over the categories seen in
 * either sample, as scipy.stats.chi2_contingency with its defaults (Yates' correction when there is one degree of
 * freedom, the correction never larger than the gap it closes).
 */
import { chiSquareSf } from './special.ts';
import { requireNonEmpty, type CategoryCounts, type MethodOptions, type TestResult } from './types.ts';

export const CHI2_DEFAULT_THRESHOLD = 0.05;

/** The union of the categories with a non-zero count in either sample, in first-seen order. */
export function categoryUnion(reference: CategoryCounts, current: CategoryCounts): string[] {
  const names = new Set<string>();
  for (const counts of [reference, current]) {
    for (const [name, count] of counts) if (count > 0) names.add(name);
  }
  return [...names];
}

export function chi2Contingency(
  reference: CategoryCounts,
  current: CategoryCounts,
): { statistic: number; pValue: number; dof: number } {
  const categories = categoryUnion(reference, current);
  const rows = [categories.map((c) => reference.get(c) ?? 0), categories.map((c) => current.get(c) ?? 0)];
  const rowSums = rows.map((row) => row.reduce((a, b) => a + b, 0));
  requireNonEmpty(rowSums[0]!, 'reference', 'chi-square');
  requireNonEmpty(rowSums[1]!, 'current', 'chi-square');
  const total = rowSums[0]! + rowSums[1]!;
  const columnSums = categories.map((_, k) => rows[0]![k]! + rows[1]![k]!);
  const dof = categories.length - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof };
  let statistic = 0;
  for (let r = 0; r < 2; r += 1) {
    for (let k = 0; k < categories.length; k += 1) {
      const expected = (rowSums[r]! * columnSums[k]!) / total;
      let observed = rows[r]![k]!;
      if (dof === 1) {
        const diff = expected - observed;
        observed += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += (observed - expected) ** 2 / expected;
    }
  }
  return { statistic, pValue: chiSquareSf(statistic, dof), dof };
}

export function chi2(reference: CategoryCounts, current: CategoryCounts, options: MethodOptions = {}): TestResult {
  const { statistic, pValue } = chi2Contingency(reference, current);
  const threshold = options.threshold ?? CHI2_DEFAULT_THRESHOLD;
  return { statistic, pValue, threshold, drifted: pValue < threshold };
}
