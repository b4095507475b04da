/** Which drift methods run, at which thresholds, and how their verdicts combine. Every option has a default. */
import { isMethodName, METHODS, METHOD_NAMES, type MethodName } from '../stats/index.ts';
import { DriftInputError } from './reference.ts';

export type Vote = 'majority' | 'any' | 'all';

export interface DriftConfig {
  /** Methods for numeric fields. @default ['psi', 'ks', 'wasserstein'] */
  numberMethods: readonly MethodName[];
  /** Methods for categorical fields. @default ['chi2', 'jensen_shannon'] */
  categoryMethods: readonly MethodName[];
  /** Threshold per method. @default psi 0.1, ks 0.05, wasserstein 0.1, chi2 0.05, jensen_shannon 0.1 */
  thresholds: Readonly<Record<MethodName, number>>;
  /**
   * How a field's methods make its verdict: "majority" (more than half of them say drift; with two methods, both),
   * "any" or "all". Majority keeps the hypersensitive tests (KS, chi-square on a million records) from deciding alone.
   * @default 'majority'
   */
  vote: Vote;
  /** Share of drifted fields at or above which the data set has drifted. @default 0.5 */
  datasetDriftShare: number;
}

export interface DriftConfigInput {
  methods?: readonly string[];
  thresholds?: Readonly<Record<string, number>>;
  vote?: Vote;
  datasetDriftShare?: number;
}

export const DEFAULT_NUMBER_METHODS: readonly MethodName[] = ['psi', 'ks', 'wasserstein'];
export const DEFAULT_CATEGORY_METHODS: readonly MethodName[] = ['chi2', 'jensen_shannon'];

/** Builds a frozen configuration; unknown method names and impossible thresholds are DriftInputErrors. */
export function driftConfig(input: DriftConfigInput = {}): DriftConfig {
  let numberMethods = DEFAULT_NUMBER_METHODS;
  let categoryMethods = DEFAULT_CATEGORY_METHODS;
  if (input.methods) {
    if (input.methods.length === 0) throw new DriftInputError('no drift method selected');
    for (const name of input.methods) {
      if (!isMethodName(name)) {
        throw new DriftInputError(`unknown drift method "${name}" (known: ${METHOD_NAMES.join(', ')})`);
      }
    }
    const chosen = [...new Set(input.methods as MethodName[])];
    numberMethods = chosen.filter((m) => METHODS[m].kind === 'number');
    categoryMethods = chosen.filter((m) => METHODS[m].kind === 'category');
  }
  const thresholds = Object.fromEntries(METHOD_NAMES.map((m) => [m, METHODS[m].defaultThreshold])) as Record<
    MethodName,
    number
  >;
  for (const [name, value] of Object.entries(input.thresholds ?? {})) {
    if (!isMethodName(name)) throw new DriftInputError(`unknown drift method "${name}" in the thresholds`);
    const method = METHODS[name];
    if (!Number.isFinite(value) || value < 0 || (method.direction === 'p-below' && (value <= 0 || value >= 1))) {
      const rule = method.direction === 'p-below' ? 'a p-value level between 0 and 1' : 'a number >= 0';
      throw new DriftInputError(`the threshold of ${name} must be ${rule}, got ${value}`);
    }
    thresholds[name] = value;
  }
  const share = input.datasetDriftShare ?? 0.5;
  if (!(share > 0 && share <= 1)) throw new DriftInputError(`the data-set drift share must be in (0, 1], got ${share}`);
  return Object.freeze({
    numberMethods: Object.freeze([...numberMethods]),
    categoryMethods: Object.freeze([...categoryMethods]),
    thresholds: Object.freeze(thresholds),
    vote: input.vote ?? 'majority',
    datasetDriftShare: share,
  });
}

export function verdict(vote: Vote, drifted: number, total: number): boolean {
  if (total === 0) return false;
  if (vote === 'any') return drifted > 0;
  if (vote === 'all') return drifted === total;
  return drifted * 2 > total;
}
