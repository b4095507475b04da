/**
 * Population Stability Index on the reference's decile bins (CONTRACT.md section 4): edges =
 * numpy.quantile(reference, [0.1 … 0.9]) with duplicates removed, bin = searchsorted(edges, value, side="left"),
 * shares floored at 1e-4, PSI = Σ (current − reference) · ln(current / reference).
 */
import { binCountsSorted, decileEdges } from './quantile.ts';
import { requireNonEmpty, StatsError, type MethodOptions, type SortedNumbers, type TestResult } from './types.ts';

export const PSI_DEFAULT_THRESHOLD = 0.1;
/** Conventional "major shift" level, reported alongside the drift threshold. */
export const PSI_MAJOR = 0.25;
export const PSI_SHARE_FLOOR = 1e-4;

/** Reference bins computed elsewhere (a model package's profile): edges and the count in each of edges.length + 1 bins. */
export interface ReferenceBins {
  edges: readonly number[];
  counts: readonly number[];
}

export interface PsiOptions extends MethodOptions {
  /** Use these bins instead of computing deciles of `reference` (which may then be empty). */
  referenceBins?: ReferenceBins;
}

/** PSI from bin counts (both arrays of the same length). */
export function psiFromCounts(referenceCounts: readonly number[], currentCounts: readonly number[]): number {
  if (referenceCounts.length !== currentCounts.length) throw new StatsError('PSI needs the same bins on both sides');
  const refTotal = referenceCounts.reduce((a, b) => a + b, 0);
  const curTotal = currentCounts.reduce((a, b) => a + b, 0);
  requireNonEmpty(refTotal, 'reference', 'PSI');
  requireNonEmpty(curTotal, 'current', 'PSI');
  let psi = 0;
  for (let i = 0; i < referenceCounts.length; i += 1) {
    const r = Math.max(referenceCounts[i]! / refTotal, PSI_SHARE_FLOOR);
    const c = Math.max(currentCounts[i]! / curTotal, PSI_SHARE_FLOOR);
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

export function referenceBinsOf(reference: SortedNumbers): ReferenceBins {
  requireNonEmpty(reference.length, 'reference', 'PSI');
  const edges = decileEdges(reference);
  return { edges, counts: binCountsSorted(reference, edges) };
}

export function psi(reference: SortedNumbers, current: SortedNumbers, options: PsiOptions = {}): TestResult {
  const bins = options.referenceBins ?? referenceBinsOf(reference);
  if (bins.counts.length !== bins.edges.length + 1) {
    throw new StatsError('PSI reference bins need one more count than edges');
  }
  const statistic = psiFromCounts(bins.counts, binCountsSorted(current, bins.edges));
  const threshold = options.threshold ?? PSI_DEFAULT_THRESHOLD;
  return { statistic, pValue: null, threshold, drifted: statistic >= threshold };
}
