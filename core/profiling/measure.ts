/** Timed loops over a loaded engine: batches with every worker busy, and single applicants through the micro-batcher. */
import type { Applicant } from '../contract/index.ts';
import type { BatchEvent, ScoringEngine } from '../engine/index.ts';

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

export interface BatchMeasure {
  rowsPerS: number;
  rowsPerCpuS: number;
  cpuSecondsPerRow: number;
  wallSecondsPerRow: number;
  p50: number;
  p95: number;
  p99: number;
  calls: number;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw Object.assign(new Error('the profiling run was cancelled'), { name: 'AbortError' });
}

export { throwIfAborted };

/** `lanes` callers send batches of `size` back to back for `seconds` (at least 3 calls). */
export async function measureBatches(
  engine: ScoringEngine,
  pool: readonly Applicant[],
  size: number,
  seconds: number,
  lanes: number,
  signal?: AbortSignal,
): Promise<BatchMeasure> {
  const latencies: number[] = [];
  let rows = 0;
  let offset = 0;
  const end = performance.now() + seconds * 1000;
  const lane = async () => {
    while ((performance.now() < end || latencies.length < 3) && !signal?.aborted) {
      const start = offset;
      offset = (offset + size) % Math.max(1, pool.length - size);
      const batch = pool.slice(start, start + size);
      const t0 = performance.now();
      await engine.scoreMany(batch);
      latencies.push(performance.now() - t0);
      rows += batch.length;
    }
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: lanes }, lane));
  throwIfAborted(signal);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rowsPerS: Math.round(rows / elapsed),
    rowsPerCpuS: Math.round(rows / Math.max(cpuSeconds, 1e-6)),
    cpuSecondsPerRow: cpuSeconds / Math.max(rows, 1),
    wallSecondsPerRow: elapsed / Math.max(rows, 1),
    p50: round(quantile(latencies, 0.5)),
    p95: round(quantile(latencies, 0.95)),
    p99: round(quantile(latencies, 0.99)),
    calls: latencies.length,
  };
}

/** 64 single-applicant callers for `seconds`; returns the micro-batches the engine reported meanwhile. */
export async function measureSingles(
  engine: ScoringEngine,
  pool: readonly Applicant[],
  seconds: number,
  events: BatchEvent[],
  signal?: AbortSignal,
): Promise<BatchEvent[]> {
  events.length = 0;
  const end = performance.now() + seconds * 1000;
  let next = 0;
  const lane = async () => {
    while (performance.now() < end && !signal?.aborted) await engine.score(pool[next++ % pool.length]!);
  };
  await Promise.all(Array.from({ length: 64 }, lane));
  throwIfAborted(signal);
  return events.splice(0);
}
