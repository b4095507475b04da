/**
 * The drift methods by name (CONTRACT.md section 4). Names are the keys of `vigie drift --json`; each record says
 * which kind of column the method reads, its default threshold and which way the comparison goes.
 */
import { chi2, CHI2_DEFAULT_THRESHOLD } from './chi2.ts';
import { jensenShannon, JENSEN_SHANNON_DEFAULT_THRESHOLD } from './jensen-shannon.ts';
import { ks, KS_DEFAULT_THRESHOLD } from './ks.ts';
import { psi, PSI_DEFAULT_THRESHOLD, type PsiOptions } from './psi.ts';
import type { CategoryCounts, MethodOptions, SortedNumbers, TestResult } from './types.ts';
import { wasserstein, WASSERSTEIN_DEFAULT_THRESHOLD, type WassersteinOptions } from './wasserstein.ts';

export const METHOD_NAMES = ['psi', 'ks', 'wasserstein', 'chi2', 'jensen_shannon'] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

interface MethodBase {
  name: MethodName;
  label: string;
  defaultThreshold: number;
  /** "statistic-above": drift when statistic >= threshold; "p-below": drift when p-value < threshold. */
  direction: 'statistic-above' | 'p-below';
  needsPValue: boolean;
  description: string;
}

export interface NumberMethod extends MethodBase {
  kind: 'number';
  run(reference: SortedNumbers, current: SortedNumbers, options: PsiOptions & WassersteinOptions): TestResult;
}

export interface CategoryMethod extends MethodBase {
  kind: 'category';
  run(reference: CategoryCounts, current: CategoryCounts, options: MethodOptions): TestResult;
}

export type DriftMethod = NumberMethod | CategoryMethod;

export const METHODS: Readonly<Record<MethodName, DriftMethod>> = Object.freeze({
  psi: {
    name: 'psi',
    kind: 'number',
    label: 'PSI',
    defaultThreshold: PSI_DEFAULT_THRESHOLD,
    direction: 'statistic-above',
    needsPValue: false,
    description: "Population Stability Index on the reference's decile bins, shares floored at 1e-4",
    run: psi,
  },
  ks: {
    name: 'ks',
    kind: 'number',
    label: 'Kolmogorov-Smirnov',
    defaultThreshold: KS_DEFAULT_THRESHOLD,
    direction: 'p-below',
    needsPValue: true,
    description: 'two-sample Kolmogorov-Smirnov test (scipy.stats.ks_2samp, method auto)',
    run: ks,
  },
  wasserstein: {
    name: 'wasserstein',
    kind: 'number',
    label: 'Wasserstein / std',
    defaultThreshold: WASSERSTEIN_DEFAULT_THRESHOLD,
    direction: 'statistic-above',
    needsPValue: false,
    description: "Wasserstein-1 distance divided by the reference's standard deviation",
    run: wasserstein,
  },
  chi2: {
    name: 'chi2',
    kind: 'category',
    label: 'Chi-square',
    defaultThreshold: CHI2_DEFAULT_THRESHOLD,
    direction: 'p-below',
    needsPValue: true,
    description: 'chi-square test on the 2 x k table of counts (scipy.stats.chi2_contingency)',
    run: chi2,
  },
  jensen_shannon: {
    name: 'jensen_shannon',
    kind: 'category',
    label: 'Jensen-Shannon',
    defaultThreshold: JENSEN_SHANNON_DEFAULT_THRESHOLD,
    direction: 'statistic-above',
    needsPValue: false,
    description: 'Jensen-Shannon distance, base 2, over the union of categories',
    run: jensenShannon,
  },
});

export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}

/** Whether a statistic and p-value count as drift for a method at a threshold. */
export function isDrift(method: DriftMethod, statistic: number, pValue: number | null, threshold: number): boolean {
  return method.direction === 'p-below' ? pValue !== null && pValue < threshold : statistic >= threshold;
}
