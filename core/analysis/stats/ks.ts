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

/**
 * The KS statistic: the largest gap between the two empirical CDFs, ties counted as searchsorted(side="right"), over
 * the values of both samples, as SciPy's ks_2samp computes it. Between two neighbouring values of `a` its ECDF stays
 * put while `b`'s rises, so the gap is largest at the first of them and smallest just before the next: the walk
 * visits each distinct value of `a` and finds in `b` the counts below and up to it by galloping (when `b` is the
 * larger sample, `a` and `b` swap roles with the sign of the difference). The points it visits are the union's points
 * or repeat one of their differences, each computed as `i / n1 - j / n2`, so the answer is the very number the walk
 * over every value gives, at a fraction of its cost for a large `b`.
 */
export function ksStatistic(a: SortedNumbers, b: SortedNumbers): number {
  const [maxS, minS] = a.length <= b.length ? extremes(a, b) : extremes(b, a, true);
  const minusMin = Math.min(Math.max(-minS, 0), 1);
  return minusMin > maxS ? minusMin : maxS;
}

/** The largest and smallest of `i / na - j / nb` (with `swap`: of `j / nb - i / na`) over the union's points. */
function extremes(a: SortedNumbers, b: SortedNumbers, swap = false): [number, number] {
  const na = a.length;
  const nb = b.length;
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  const visit = (i: number, j: number): void => {
    const diff = swap ? j / nb - i / na : i / na - j / nb;
    if (diff > max) max = diff;
    if (diff < min) min = diff;
  };
  let i = 0;
  let j = 0;
  while (i < na) {
    const value = a[i]!;
    // Values of b below this one: the last of them sees a's count so far.
    j = gallop(b, j, (x) => x < value);
    if (j > 0) visit(i, j);
    while (i < na && a[i]! <= value) i += 1;
    j = gallop(b, j, (x) => x <= value);
    visit(i, j);
  }
  if (j < nb) visit(na, nb);
  return [max, min];
}

/** The first index from `start` at which `inside` turns false (`inside` holds on a prefix of the sorted `b`). */
function gallop(b: SortedNumbers, start: number, inside: (x: number) => boolean): number {
  const n = b.length;
  if (start >= n || !inside(b[start]!)) return start;
  let low = start;
  let step = 1;
  let high = start + 1;
  while (high < n && inside(b[high]!)) {
    low = high;
    step *= 2;
    high = low + step;
  }
  if (high > n) high = n;
  // inside(b[low]) holds; the answer is in (low, high].
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (inside(b[mid]!)) low = mid;
    else high = mid;
  }
  return high;
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
