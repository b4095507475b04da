/**
 * Where flips concentrate: for every input field, how much its values differ between the flipped requests and the
 * others. Numbers: standardised mean difference (|mean₁ − mean₀| / pooled standard deviation, missing values left
 * out); categories: total variation distance between the two category distributions (missing counted as a value).
 * Streaming sums only, so memory does not grow with the period.
 */
import type { ScoringColumns } from '../engine/index.ts';
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
  // The same sums as arrays, walked by index per field.
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

  /**
   * The given rows of typed columns (`rows[k]` for k < count), `flipped[k]` telling their group. Sums are taken in
   * request order and category keys enter the maps in the order they first appear, as a row-by-row walk would.
   */
  addRows(columns: ScoringColumns, rows: Int32Array, count: number, flipped: Uint8Array): void {
    for (let k = 0; k < count; k += 1) this.groupSize[flipped[k]! as 0 | 1] += 1;
    const names = this.numberNames;
    for (let f = 0; f < names.length; f += 1) {
      const values = columns.numbers.get(names[f]!);
      if (!values) continue;
      const sums = this.numberSums[f]!;
      let [n0, n1] = sums.n;
      let [sum0, sum1] = sums.sum;
      let [sq0, sq1] = sums.sumSq;
      for (let k = 0; k < count; k += 1) {
        const value = values[rows[k]!]!;
        if (value - value !== 0) continue; // NaN (missing) or infinite
        if (flipped[k] === 1) {
          n1 += 1;
          sum1 += value;
          sq1 += value * value;
        } else {
          n0 += 1;
          sum0 += value;
          sq0 += value * value;
        }
      }
      sums.n = [n0, n1];
      sums.sum = [sum0, sum1];
      sums.sumSq = [sq0, sq1];
    }
    const categoryNames = this.categoryNames;
    for (let f = 0; f < categoryNames.length; f += 1) {
      const column = columns.categories.get(categoryNames[f]!);
      const size = column ? column.labels.length + 1 : 1;
      const counts = [new Float64Array(size), new Float64Array(size)];
      // Keys in the order they first appear in each group, so the maps keep the order `add` gives them.
      const order: [number[], number[]] = [[], []];
      for (let k = 0; k < count; k += 1) {
        const code = column ? column.codes[rows[k]!]! + 1 : 0;
        const g = flipped[k]!;
        if (counts[g]![code]! === 0) order[g as 0 | 1].push(code);
        counts[g]![code]! += 1;
      }
      for (const g of [0, 1] as const) {
        const map = this.categoryCounts[f]![g];
        for (const code of order[g]) {
          const key = code === 0 ? MISSING : column!.labels[code - 1]!;
          map.set(key, (map.get(key) ?? 0) + counts[g]![code]!);
        }
      }
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
