/** Latency figures with bounded memory: a log-scale histogram (8 bins per doubling from 0.001 ms). */
const BINS_PER_DOUBLING = 8;
const MIN_MS = 0.001;
const BINS = 8 * 24;

export class LatencyHistogram {
  private readonly counts = new Float64Array(BINS);
  private n = 0;
  private sum = 0;

  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const bin = ms <= MIN_MS ? 0 : Math.min(BINS - 1, Math.floor(Math.log2(ms / MIN_MS) * BINS_PER_DOUBLING));
    this.counts[bin]! += 1;
    this.n += 1;
    this.sum += ms;
  }

  get samples(): number {
    return this.n;
  }

  /** The upper edge of the bin holding quantile `q` (within 9 % of the true value), or null without samples. */
  quantile(q: number): number | null {
    if (this.n === 0) return null;
    const target = q * this.n;
    let seen = 0;
    for (let i = 0; i < BINS; i += 1) {
      seen += this.counts[i]!;
      if (seen >= target) return MIN_MS * 2 ** ((i + 1) / BINS_PER_DOUBLING);
    }
    return null;
  }

  mean(): number | null {
    return this.n === 0 ? null : this.sum / this.n;
  }
}

/** p50/p99/mean of exact samples (the small per-request probes). */
export function sampleSummary(samples: number[]): {
  p50Ms: number | null;
  p99Ms: number | null;
  meanMs: number | null;
} {
  if (samples.length === 0) return { p50Ms: null, p99Ms: null, meanMs: null };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50Ms: at(0.5), p99Ms: at(0.99), meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}
