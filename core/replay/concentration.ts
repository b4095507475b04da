/**
 * Where flips concentrate: for every input field, how much its values differ between the flipped requests and the
 * others. Numbers: standardised mean difference (|mean₁ − mean₀| / pooled standard deviation, missing values left
 * out); categories: total variation distance between the two category distributions (missing counted as a value).
 * Streaming sums only, so memory does not grow with the period.
 */
import type { Applicant } from '../contract/index.ts';
import type { ConcentrationRow } from './types.ts';

interface NumberSums {
  n: [number, number];
  sum: [number, number];
  sumSq: [number, number];
}

const MISSING = '(missing)';
/** Rows shown: the fields a reviewer reads first. */
const TOP = 8;

export class FlipConcentration {
  private readonly numbers = new Map<string, NumberSums>();
  private readonly categories = new Map<string, [Map<string, number>, Map<string, number>]>();
  private readonly groupSize: [number, number] = [0, 0];
  // The same sums as arrays, walked by index per row (a Map iteration per row cost more than the sums themselves).
  private readonly numberNames: string[] = [];
  private readonly numberSums: NumberSums[] = [];
  private readonly categoryNames: string[] = [];
  private readonly categoryCounts: Array<[Map<string, number>, Map<string, number>]> = [];

  constructor(fields: ReadonlyArray<{ name: string; kind: string }>) {
    for (const field of fields) {
      if (field.name === 'SK_ID_CURR') continue;
      if (field.kind === 'category') {
        const counts: [Map<string, number>, Map<string, number>] = [new Map(), new Map()];
        this.categories.set(field.name, counts);
        this.categoryNames.push(field.name);
        this.categoryCounts.push(counts);
      } else {
        const sums: NumberSums = { n: [0, 0], sum: [0, 0], sumSq: [0, 0] };
        this.numbers.set(field.name, sums);
        this.numberNames.push(field.name);
        this.numberSums.push(sums);
      }
    }
  }

  add(applicant: Applicant, flipped: boolean): void {
    const g = flipped ? 1 : 0;
    this.groupSize[g] += 1;
    const names = this.numberNames;
    for (let f = 0; f < names.length; f += 1) {
      const value = applicant[names[f]!];
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const sums = this.numberSums[f]!;
      sums.n[g] += 1;
      sums.sum[g] += value;
      sums.sumSq[g] += value * value;
    }
    const categoryNames = this.categoryNames;
    for (let f = 0; f < categoryNames.length; f += 1) {
      const value = applicant[categoryNames[f]!];
      const key = typeof value === 'string' ? value : MISSING;
      const map = this.categoryCounts[f]![g];
      map.set(key, (map.get(key) ?? 0) + 1);
    }
  }

  rows(): ConcentrationRow[] {
    if (this.groupSize[0] === 0 || this.groupSize[1] === 0) return [];
    const rows: ConcentrationRow[] = [];
    for (const [field, s] of this.numbers) {
      if (s.n[0] < 2 || s.n[1] < 2) continue;
      const mean = (g: 0 | 1) => s.sum[g] / s.n[g];
      const variance = (g: 0 | 1) => Math.max(0, s.sumSq[g] / s.n[g] - mean(g) ** 2);
      const pooled = Math.sqrt((variance(0) + variance(1)) / 2);
      const diff = mean(1) - mean(0);
      const score = pooled > 0 ? Math.abs(diff) / pooled : 0;
      rows.push({
        field,
        kind: 'number',
        measure: 'smd',
        score,
        detail: `mean ${formatNumber(mean(1))} among flips vs ${formatNumber(mean(0))} among the others`,
      });
    }
    for (const [field, [others, flips]] of this.categories) {
      const keys = new Set([...others.keys(), ...flips.keys()]);
      let tvd = 0;
      let top = { key: '', lift: Number.NEGATIVE_INFINITY, share1: 0, share0: 0 };
      for (const key of keys) {
        const share1 = (flips.get(key) ?? 0) / this.groupSize[1];
        const share0 = (others.get(key) ?? 0) / this.groupSize[0];
        tvd += Math.abs(share1 - share0);
        if (share1 - share0 > top.lift) top = { key, lift: share1 - share0, share1, share0 };
      }
      rows.push({
        field,
        kind: 'category',
        measure: 'tvd',
        score: tvd / 2,
        detail: `"${top.key}" is ${percent(top.share1)} of flips vs ${percent(top.share0)} of the others`,
      });
    }
    return rows.sort((a, b) => b.score - a.score).slice(0, TOP);
  }
}

function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
