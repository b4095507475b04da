/**
 * Scoring engine benchmark: for every registered package, rows per second and per-call latency at batch sizes
 * 1 … 4096 (scoreMany, all workers kept busy), then single applicants through the micro-batcher, one at a time and 64
 * at a time. Prints figures only; it never passes or fails on time. The CPU is shared with whatever else runs on
 * this machine, so figures move between runs.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Applicant } from '../core/contract/index.ts';
import { createEngine, type ScoringEngine } from '../core/engine/index.ts';
import { readRegistry } from '../core/registry/index.ts';

export interface EngineBenchOptions {
  modelsDir: string;
  /** Seconds spent on each measurement. */
  durationS: number;
  batchSizes: number[];
  workers?: number;
  /** Only these versions (default: every registered one). */
  versions?: string[];
}

export interface BatchFigures {
  batch_size: number;
  rows_per_s: number;
  /** Rows per CPU-second of this process (all threads): what the engine costs, whatever else shares the CPU. */
  rows_per_cpu_s: number;
  p50_ms: number;
  p99_ms: number;
  calls: number;
}

export interface ModelFigures {
  model: string;
  version: string;
  aliases: string[];
  kind: string;
  provider: string;
  workers: number;
  intra_op_threads: number;
  load_ms: number;
  batches: BatchFigures[];
  best_rows_per_s: number;
  single_row: { p50_ms: number; p99_ms: number; calls: number };
  single_row_concurrent_64: { rows_per_s: number; p50_ms: number; p99_ms: number; mean_batch: number };
  rss_mb: number;
}

export interface EngineBenchReport {
  machine: { cpu: string; cores: number; node: string; note: string };
  settings: { duration_s: number; batch_sizes: number[] };
  models: ModelFigures[];
  champion: { version: string; rows_per_s: number } | null;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

function applicantsFrom(packageDir: string, engine: ScoringEngine, count: number): Applicant[] {
  const base = readFileSync(path.join(packageDir, 'golden.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => engine.schema.validate((JSON.parse(line) as { input: unknown }).input))
    .flatMap((result) => (result.ok ? [result.value] : []));
  if (base.length === 0) throw new Error(`${packageDir}/golden.jsonl has no valid applicant`);
  return Array.from({ length: count }, (_, i) => base[i % base.length]!);
}

async function measureBatches(engine: ScoringEngine, pool: Applicant[], size: number, seconds: number, lanes: number) {
  const latencies: number[] = [];
  let rows = 0;
  let offset = 0;
  const end = performance.now() + seconds * 1000;
  const lane = async () => {
    while (performance.now() < end) {
      const start = offset;
      offset = (offset + size) % Math.max(1, pool.length - size);
      const batch = pool.slice(start, start + size);
      const t0 = performance.now();
      await engine.scoreMany(batch);
      latencies.push(performance.now() - t0);
      rows += size;
    }
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: lanes }, lane));
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rows_per_cpu_s: Math.round(rows / Math.max(cpuSeconds, 1e-6)),
    batch_size: size,
    rows_per_s: Math.round(rows / elapsed),
    p50_ms: round(quantile(latencies, 0.5)),
    p99_ms: round(quantile(latencies, 0.99)),
    calls: latencies.length,
  };
}

async function measureSingles(engine: ScoringEngine, pool: Applicant[], seconds: number) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < end; i += 1) {
    const t0 = performance.now();
    await engine.score(pool[i % pool.length]!);
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  return {
    p50_ms: round(quantile(latencies, 0.5), 4),
    p99_ms: round(quantile(latencies, 0.99), 4),
    calls: latencies.length,
  };
}

async function measureConcurrentSingles(
  engine: ScoringEngine,
  pool: Applicant[],
  seconds: number,
  inFlight: number,
  batches: number[],
) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let next = 0;
  const lane = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      await engine.score(pool[next++ % pool.length]!);
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, lane));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const meanBatch = batches.length ? batches.reduce((a, b) => a + b, 0) / batches.length : 0;
  return {
    rows_per_s: Math.round(latencies.length / elapsed),
    p50_ms: round(quantile(latencies, 0.5)),
    p99_ms: round(quantile(latencies, 0.99)),
    mean_batch: round(meanBatch, 1),
  };
}

async function benchOne(
  options: EngineBenchOptions,
  name: string,
  version: string,
  dir: string,
  aliases: string[],
): Promise<ModelFigures> {
  const batchSizes: number[] = [];
  const engine = await createEngine({
    modelsDir: options.modelsDir,
    champion: dir,
    fallback: null,
    workers: options.workers,
    deadlineMs: 60_000,
    maxQueue: 1_000_000,
    observer: { batch: (event) => batchSizes.push(event.size) },
  });
  try {
    const description = engine.describe().models[0]!;
    const largest = Math.max(...options.batchSizes);
    const pool = applicantsFrom(dir, engine, Math.max(largest * 2, 1000));
    const lanes = description.workers;
    const batches: BatchFigures[] = [];
    for (const size of options.batchSizes)
      batches.push(await measureBatches(engine, pool, size, options.durationS, lanes));
    const single = await measureSingles(engine, pool, options.durationS);
    batchSizes.length = 0;
    const concurrent = await measureConcurrentSingles(engine, pool, options.durationS, 64, batchSizes);
    return {
      model: name,
      version,
      aliases,
      kind: description.kind,
      provider: description.provider,
      workers: description.workers,
      intra_op_threads: description.intraOpThreads,
      load_ms: round(description.loadMs, 1),
      batches,
      best_rows_per_s: Math.max(...batches.map((b) => b.rows_per_s)),
      single_row: single,
      single_row_concurrent_64: concurrent,
      rss_mb: round(process.memoryUsage().rss / 2 ** 20, 1),
    };
  } finally {
    await engine.close();
  }
}

export async function runEngineBench(
  options: EngineBenchOptions,
  progress: (line: string) => void = () => undefined,
): Promise<EngineBenchReport> {
  const registry = await readRegistry(options.modelsDir);
  const models: ModelFigures[] = [];
  let champion: EngineBenchReport['champion'] = null;
  for (const [name, model] of Object.entries(registry.models)) {
    for (const [version, entry] of Object.entries(model.versions)) {
      if (options.versions && !options.versions.includes(version)) continue;
      const aliases = Object.entries(model.aliases)
        .filter(([, v]) => v === version)
        .map(([alias]) => alias);
      progress(`benchmarking ${name} ${version}${aliases.length ? ` (${aliases.join(', ')})` : ''}…`);
      const figures = await benchOne(options, name, version, path.resolve(options.modelsDir, entry.path), aliases);
      models.push(figures);
      if (aliases.includes('champion')) champion = { version, rows_per_s: figures.best_rows_per_s };
    }
  }
  return {
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism(),
      node: process.version,
      note: 'the CPU is shared with every other process on this machine (other helpers, the load generator itself): figures vary between runs',
    },
    settings: { duration_s: options.durationS, batch_sizes: options.batchSizes },
    models,
    champion,
  };
}

export function formatEngineReport(report: EngineBenchReport): string {
  const lines = [
    `engine benchmark on ${report.machine.cpu}, ${report.machine.cores} cores, node ${report.machine.node}`,
    `note: ${report.machine.note}`,
  ];
  for (const m of report.models) {
    lines.push(
      '',
      `${m.model} ${m.version}${m.aliases.length ? ` (${m.aliases.join(', ')})` : ''}  kind ${m.kind}  provider ${m.provider}  ` +
        `${m.workers} workers × ${m.intra_op_threads} intra-op threads  load ${m.load_ms} ms  rss ${m.rss_mb} MiB`,
      '  batch      rows/s  rows/cpu-s    p50 ms    p99 ms',
    );
    for (const b of m.batches) {
      lines.push(
        `  ${String(b.batch_size).padStart(5)} ${String(b.rows_per_s).padStart(11)} ${String(b.rows_per_cpu_s).padStart(11)} ${b.p50_ms.toFixed(3).padStart(9)} ${b.p99_ms.toFixed(3).padStart(9)}`,
      );
    }
    lines.push(
      `  single applicant, one at a time: p50 ${m.single_row.p50_ms} ms, p99 ${m.single_row.p99_ms} ms (${m.single_row.calls} calls)`,
      `  single applicants, 64 in flight: ${m.single_row_concurrent_64.rows_per_s} rows/s, p50 ${m.single_row_concurrent_64.p50_ms} ms, ` +
        `p99 ${m.single_row_concurrent_64.p99_ms} ms, mean micro-batch ${m.single_row_concurrent_64.mean_batch}`,
    );
  }
  if (report.champion)
    lines.push('', `champion (version ${report.champion.version}) best: ${report.champion.rows_per_s} rows/s`);
  return lines.join('\n');
}
