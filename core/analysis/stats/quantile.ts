/** NumPy-compatible order statistics on sorted data: `numpy.quantile(method="linear")` and `numpy.searchsorted`. */

/** `numpy.quantile(sorted, q)` with linear interpolation (Hyndman & Fan type 7), NumPy's lerp included. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * q;
  if (virtual >= n - 1) return sorted[n - 1]!;
  if (virtual <= 0) return sorted[0]!;
  const below = Math.floor(virtual);
  const gamma = virtual - below;
  const a = sorted[below]!;
  const b = sorted[below + 1]!;
  const diff = b - a;
  // NumPy interpolates from the nearer end, so that the result stays exact at the ends.
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Number of elements of `sorted` strictly below `value` (`searchsorted(side="left")`). */
export function searchLeft(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements of `sorted` at or below `value` (`searchsorted(side="right")`). */
export function searchRight(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Neumaier-compensated sum: keeps long sums as accurate as NumPy's pairwise summation or better. */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;
  add(value: number): void {
    const t = this.sum + value;
    if (Math.abs(this.sum) >= Math.abs(value)) this.compensation += this.sum - t + value;
    else this.compensation += value - t + this.sum;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.compensation;
  }
}

/** Population standard deviation (`numpy.std`, ddof 0). */
export function standardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const total = new CompensatedSum();
  for (let i = 0; i < n; i += 1) total.add(values[i]!);
  const mean = total.value / n;
  const squares = new CompensatedSum();
  for (let i = 0; i < n; i += 1) {
    const d = values[i]! - mean;
    squares.add(d * d);
  }
  return Math.sqrt(squares.value / n);
}

/** Decile edges of a sorted sample, duplicates removed (CONTRACT.md section 4, PSI). */
export function decileEdges(sorted: ArrayLike<number>): number[] {
  const edges: number[] = [];
  for (let k = 1; k <= 9; k += 1) {
    const edge = quantileSorted(sorted, k / 10);
    if (edges.length === 0 || edge !== edges[edges.length - 1]) edges.push(edge);
  }
  return edges;
}

/** Counts per bin, bin = searchsorted(edges, value, side="left"); `sorted` ascending. */
export function binCountsSorted(sorted: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts: number[] = [];
  let start = 0;
  for (const edge of edges) {
    // side="left": a value equal to an edge belongs to the bin below it.
    const upTo = searchRight(sorted, edge);
    counts.push(upTo - start);
    start = upTo;
  }
  counts.push(sorted.length - start);
  return counts;
}
