/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp with method "auto": the exact p-value when
 * both samples have at most 10 000 values, else the asymptotic one (kstwo with n = round(n1·n2 / (n1 + n2))).
 */
import { kolmogorovSf } from './kolmogorov.ts';
import { probOutsideBand, probOutsideSquare } from './ks-exact.ts';
import { requireNonEmpty, type MethodOptions, type SortedNumbers, type TestResult } from './types.ts';

export const KS_DEFAULT_THRESHOLD = 0.05;
const MAX_AUTO_N = 10_000;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** NumPy rounds halves to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The KS statistic: the largest gap between the two empirical CDFs, ties counted as searchsorted(side="right"). */
export function ksStatistic(a: SortedNumbers, b: SortedNumbers): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxS = Number.NEGATIVE_INFINITY;
  let minS = Number.POSITIVE_INFINITY;
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! <= value) i += 1;
    while (j < n2 && b[j]! <= value) j += 1;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const minusMin = Math.min(Math.max(-minS, 0), 1);
  return minusMin > maxS ? minusMin : maxS;
}

/** Statistic and p-value exactly as ks_2samp(a, b) returns them. */
export function ks2samp(a: SortedNumbers, b: SortedNumbers): { statistic: number; pValue: number } {
  requireNonEmpty(a.length, 'reference', 'KS');
  requireNonEmpty(b.length, 'current', 'KS');
  const n1 = a.length;
  const n2 = b.length;
  let d = ksStatistic(a, b);
  if (Math.max(n1, n2) <= MAX_AUTO_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1 };
    const prob = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    if (prob >= 0 && prob <= 1) return { statistic: d, pValue: prob };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const prob = kolmogorovSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Math.min(1, Math.max(0, prob)) };
}

export function ks(reference: SortedNumbers, current: SortedNumbers, options: MethodOptions = {}): TestResult {
  const { statistic, pValue } = ks2samp(reference, current);
  const threshold = options.threshold ?? KS_DEFAULT_THRESHOLD;
  return { statistic, pValue, threshold, drifted: pValue < threshold };
}
