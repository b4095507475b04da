/**
 * Shapley values of each field for one applicant against a background sample, estimated by sampling permutations
 * (Štrumbelj & Kononenko 2014): for a permutation π and a background row z, walk from z to the applicant x setting
 * the fields one at a time in the order π; each field's step in probability is one draw of its contribution. Each
 * permutation is paired with its reverse on the same z (antithetic pairs: less variance for the same evaluations).
 * The background rows are drawn one per stratum of the model's probability when an order is given. A pair's
 * contributions sum to f(x) − f(z) exactly, so their mean sums to f(x) − mean f(z); the gap to
 * f(x) − E[f] (E over the whole reference) is the sampling error, reported with its standard error and then shared
 * out in proportion to each field's variance (as shap's SamplingExplainer does), so the waterfall closes exactly.
 * A field the model's graph does not read, or whose value equals every background row's, contributes exactly 0.
 * Every walk of one call is scored as one batch.
 */
import type { Applicant, FieldSpec } from '../contract/index.ts';
import { Random } from '../simulate/prng.ts';
import type { ProbabilityFn } from './types.ts';

export const SHAPLEY_ESTIMATOR =
  'permutation sampling, antithetic pairs, background stratified by probability, efficiency-adjusted by variance';

export interface Contribution {
  field: string;
  value: number | string | null;
  /** Points of probability (0.062 = 6.2 points), after the efficiency adjustment. */
  contribution: number;
  /** Standard error of the sampled estimate. */
  standardError: number;
  /** False for fields the model does not read (contribution exactly 0). */
  used: boolean;
}

export interface ShapleyResult {
  probability: number;
  /** E[f] over the reference sample: where the waterfall starts. */
  baseValue: number;
  contributions: Contribution[];
  estimator: string;
  /** Model evaluations spent (applicant, background rows and every walk step). */
  evaluations: number;
  permutations: number;
  /** Σ raw estimates − (f(x) − E[f]) before the adjustment, and its standard error. */
  residual: number;
  residualStandardError: number;
}

export interface ShapleyOptions {
  fields: readonly FieldSpec[];
  /** Fields the model reads; the others get exactly 0 without being scored. */
  inputs: ReadonlySet<string>;
  /** Background rows z are drawn from. */
  background: readonly Applicant[];
  /** E[f] over the reference (the mean probability of the whole sample). */
  baseValue: number;
  /** Model evaluations to spend, at least. @default 2048 */
  evaluations?: number;
  /** Permutations to sample instead (rounded up to pairs); overrides `evaluations`. */
  permutations?: number;
  /**
   * Background indices sorted by the model's probability: z is then drawn one per stratum of equal size (stratified
   * sampling), so the sampled mean f(z) stays close to E[f] and the efficiency residual small. Without it, z is drawn
   * uniformly.
   */
  backgroundOrder?: Uint32Array;
  /** @default 1 */
  seed?: number;
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random.float() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Standard error of a one-per-stratum mean, by collapsing neighbouring strata in pairs (conservative). */
function collapsedStrataError(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < values.length; i += 2) sum += (values[i]! - values[i + 1]!) ** 2;
  if (values.length % 2 === 1 && values.length > 1)
    sum += (values[values.length - 1]! - values[values.length - 2]!) ** 2;
  return Math.sqrt(sum) / values.length;
}

export async function shapley(f: ProbabilityFn, applicant: Applicant, options: ShapleyOptions): Promise<ShapleyResult> {
  const active = options.fields.filter((field) => options.inputs.has(field.name)).map((field) => field.name);
  const d = active.length;
  if (options.background.length === 0) throw new RangeError('the background sample is empty');
  const perPair = 2 * Math.max(d - 1, 0) + 1;
  const pairs =
    options.permutations !== undefined
      ? Math.max(2, Math.ceil(options.permutations / 2))
      : Math.max(2, Math.ceil((options.evaluations ?? 2048) / Math.max(perPair, 1)));
  const random = new Random(options.seed ?? 1);

  // Rows: [x, then per pair: z, walk(π) minus its end, walk(reverse π) minus its end].
  const rows: Applicant[] = [applicant];
  const plans: Array<{ order: string[]; start: number }> = [];
  const n = options.background.length;
  const order = options.backgroundOrder;
  const drawBackground = (k: number) => {
    if (!order) return options.background[Math.floor(random.float() * n)]!;
    const lo = Math.floor((k * order.length) / pairs);
    const hi = Math.max(lo + 1, Math.floor(((k + 1) * order.length) / pairs));
    return options.background[order[lo + Math.floor(random.float() * (hi - lo))]!]!;
  };
  for (let k = 0; k < pairs; k += 1) {
    const z = drawBackground(k);
    const order = shuffle([...active], random);
    const zIndex = rows.length;
    rows.push(z);
    for (const walk of [order, [...order].reverse()]) {
      let current = { ...z };
      for (let j = 0; j < d - 1; j += 1) {
        current = { ...current, [walk[j]!]: applicant[walk[j]!] ?? null };
        rows.push(current);
      }
      plans.push({ order: walk, start: zIndex });
    }
  }
  const p = await f(rows);
  const fx = p[0]!;

  // One draw per pair: the mean of its two walks' steps, field by field.
  const draws = new Map(active.map((name) => [name, new Float64Array(pairs)]));
  const gaps = new Float64Array(pairs);
  plans.forEach((plan, w) => {
    const pair = w >> 1;
    const stepRow = (j: number) => (j < 0 ? plan.start : j === d - 1 ? 0 : plan.start + (w % 2 === 0 ? 1 : d) + j);
    for (let j = 0; j < d; j += 1) {
      const delta = p[stepRow(j)]! - p[stepRow(j - 1)]!;
      draws.get(plan.order[j]!)![pair]! += delta / 2;
    }
    gaps[pair] = p[plan.start]!;
  });

  const mean = (values: Float64Array) => values.reduce((a, b) => a + b, 0) / values.length;
  const variance = (values: Float64Array) => {
    const m = mean(values);
    return values.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(values.length - 1, 1) / values.length;
  };
  const raw = new Map(active.map((name) => [name, mean(draws.get(name)!)]));
  const variances = new Map(active.map((name) => [name, variance(draws.get(name)!)]));
  const target = fx - options.baseValue;
  const sumRaw = [...raw.values()].reduce((a, b) => a + b, 0);
  const residual = sumRaw - target;
  const totalVariance = [...variances.values()].reduce((a, b) => a + b, 0);

  const contributions: Contribution[] = options.fields.map((field) => {
    const value = applicant[field.name] ?? null;
    if (!options.inputs.has(field.name))
      return { field: field.name, value, contribution: 0, standardError: 0, used: false };
    const share = totalVariance > 0 ? variances.get(field.name)! / totalVariance : 0;
    return {
      field: field.name,
      value,
      contribution: raw.get(field.name)! - share * residual,
      standardError: Math.sqrt(variances.get(field.name)!),
      used: true,
    };
  });
  return {
    probability: fx,
    baseValue: options.baseValue,
    contributions,
    estimator: SHAPLEY_ESTIMATOR,
    evaluations: rows.length,
    permutations: pairs * 2,
    residual,
    residualStandardError: order ? collapsedStrataError(gaps) : Math.sqrt(variance(gaps)),
  };
}
