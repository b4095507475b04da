/**
 * The one definition of a latency percentile, shared by the store's rollup (the Overview) and the anomaly windows,
 * so both show the same p50/p95/p99 for the same hour. Latencies fall into a log2 histogram: 8 bins per doubling
 * from 0.01 ms, and a percentile is the geometric middle of the bin holding its rank, within about 4.4 % of the
 * exact value. The rollup keeps only these bins, so the records' exact quantiles cannot be shown beside it.
 */
export const LATENCY_MIN_MS = 0.01;
export const LATENCY_BINS_PER_DOUBLING = 8;
export const LATENCY_BINS = 192;

const LOG2_SCALE = LATENCY_BINS_PER_DOUBLING / Math.LN2;

export function latencyBin(ms: number): number {
  if (!(ms > LATENCY_MIN_MS)) return 0;
  const bin = Math.floor(Math.log(ms / LATENCY_MIN_MS) * LOG2_SCALE);
  return bin >= LATENCY_BINS ? LATENCY_BINS - 1 : bin;
}

/** The geometric middle of a latency bin: the value reported for a percentile falling in it. */
export function latencyBinValue(bin: number): number {
  if (bin === 0) return LATENCY_MIN_MS;
  return LATENCY_MIN_MS * 2 ** ((bin + 0.5) / LATENCY_BINS_PER_DOUBLING);
}

/** The quantile q (0–1) of a latency histogram, or null when it is empty. */
export function latencyQuantile(hist: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let i = 0; i < hist.length; i++) total += hist[i]!;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= rank) return latencyBinValue(i);
  }
  return latencyBinValue(hist.length - 1);
}

/** The histogram of latencies[from, to); NaN (no latency recorded) is left out, as the rollup leaves out null. */
export function latencyHistogram(latencies: ArrayLike<number>, from = 0, to = latencies.length): Uint32Array {
  const hist = new Uint32Array(LATENCY_BINS);
  for (let i = from; i < to; i++) {
    const ms = latencies[i]!;
    if (!Number.isNaN(ms)) hist[latencyBin(ms)]!++;
  }
  return hist;
}
