/** Which drift methods run, at which thresholds, and how their verdicts combine. Every option has a default. */
import { isMethodName, METHODS, METHOD_NAMES, type MethodName } from '../stats/index.ts';
import { DriftInputError } from './reference.ts';

/**
 * How a field's verdict is made. "auto": one test per field, picked by the field's type and the reference's size
 * (Evidently's default rule, decision record 1001); "majority", "any", "all": a vote of every method that ran.
 */
export type Vote = 'auto' | 'majority' | 'any' | 'all';
export const VOTES: readonly Vote[] = ['auto', 'majority', 'any', 'all'];

/**
 * Reference values at or below which the auto rule lets a hypothesis test decide (KS, chi-square); above, an
 * effect size does (Wasserstein distance normed by the reference's deviation, Jensen–Shannon distance), because at
 * hundreds of thousands of records the tests reject shifts too small to matter. Evidently's threshold.
 */
export const SMALL_REFERENCE = 1000;

export interface DriftConfig {
  /** Methods for numeric fields. @default ['psi', 'ks', 'wasserstein'] */
  numberMethods: readonly MethodName[];
  /** Methods for categorical fields. @default ['chi2', 'jensen_shannon'] */
  categoryMethods: readonly MethodName[];
  /** Threshold per method. @default psi 0.1, ks 0.05, wasserstein 0.1, chi2 0.05, jensen_shannon 0.1 */
  thresholds: Readonly<Record<MethodName, number>>;
  /**
   * How a field's verdict is made: "auto" (one test per field by type and reference size: see autoPreference),
   * "majority" (more than half of the methods say drift; with two methods, both), "any" or "all".
   * @default 'auto'
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
    vote: input.vote ?? 'auto',
    datasetDriftShare: share,
  });
}

export function verdict(vote: Exclude<Vote, 'auto'>, drifted: number, total: number): boolean {
  if (total === 0) return false;
  if (vote === 'any') return drifted > 0;
  if (vote === 'all') return drifted === total;
  return drifted * 2 > total;
}

/**
 * The auto rule's tests for a field, best first (the first that ran decides). As Evidently's default: with a reference
 * of at most SMALL_REFERENCE values, KS for numbers and chi-square for categories (p < threshold); beyond, the
 * normed Wasserstein distance for numbers and the Jensen–Shannon distance for categories (>= threshold, 0.1 both).
 * PSI stands in when the preferred methods were not run or could not be computed.
 */
export function autoPreference(kind: 'number' | 'category', referenceCount: number): MethodName[] {
  const small = referenceCount <= SMALL_REFERENCE;
  if (kind === 'number') return small ? ['ks', 'wasserstein', 'psi'] : ['wasserstein', 'psi', 'ks'];
  return small ? ['chi2', 'jensen_shannon'] : ['jensen_shannon', 'chi2'];
}

export interface Decision {
  drifted: boolean;
  /** The methods whose results made the verdict: the one test of the auto rule, or every method that voted. */
  decidedBy: MethodName[];
}

/** A field's verdict from the results of its methods, by the configured rule. */
export function decide(
  methods: Partial<Record<MethodName, { drifted: boolean }>>,
  config: Pick<DriftConfig, 'vote'>,
  field: { kind: 'number' | 'category'; referenceCount: number },
): Decision {
  const ran = Object.keys(methods) as MethodName[];
  if (ran.length === 0) return { drifted: false, decidedBy: [] };
  if (config.vote === 'auto') {
    const chosen = autoPreference(field.kind, field.referenceCount).find((m) => methods[m]) ?? ran[0]!;
    return { drifted: methods[chosen]!.drifted, decidedBy: [chosen] };
  }
  const drifted = ran.filter((m) => methods[m]!.drifted).length;
  return { drifted: verdict(config.vote, drifted, ran.length), decidedBy: ran };
}
