/**
 * Profiles one model package in process: rows per second (wall and per CPU-second) and per-call latency of
 * `scoreMany` at each batch size with every worker kept busy, then single applicants through the micro-batcher one at a
 * time and 64 in flight. Used by `vigie bench engine` and by anything that compares model variants. Figures depend on
 * everything else sharing the CPU.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Applicant } from '../contract/index.ts';
import { createEngine } from './create-engine.ts';
import { columnsFromApplicants, sliceColumns, type ScoringColumns } from './typed-columns.ts';
import type { EngineOptions, ScoringEngine, StageTimings } from './types.ts';

export interface ProfileOptions {
  modelsDir: string;
  /** Alias, version or package directory. */
  model: string;
  /** Seconds spent on each measurement. */
  durationS: number;
  batchSizes: number[];
  workers?: number;
}

export interface BatchFigures {
  batch_size: number;
  rows_per_s: number;
  /** Rows per CPU-second of this process (all threads): what the engine costs, whatever else shares the CPU. */
  rows_per_cpu_s: number;
  p50_ms: number;
  p99_ms: number;
  calls: number;
  /**
   * CPU milliseconds per call on the caller's thread (packing, hand-off, results) and on every other thread of the
   * process (the workers' runs, mostly), from /proc; null where there is no /proc.
   */
  cpu_ms_per_call: { main: number; others: number } | null;
}

export interface SingleRowFigures {
  p50_ms: number;
  p99_ms: number;
  calls: number;
  stages: StageMedians | null;
}

/** Median wall milliseconds of each stage of a single-row call (micro-batcher stage timings). */
export type StageMedians = { [K in keyof StageTimings]: number };

export interface ModelProfile {
  model: string;
  version: string;
  kind: string;
  provider: string;
  workers: number;
  intra_op_threads: number;
  load_ms: number;
  batches: BatchFigures[];
  /** The same batches fed as typed columns (`scoreColumns`, as replay and batch scoring feed it), sizes ≥ 512. */
  column_batches: BatchFigures[];
  best_rows_per_s: number;
  /** Single applicants one at a time through the worker path, as the API scores them. */
  single_row: SingleRowFigures;
  /** The same on the caller's thread (`loneApplicantsInline`, as the CLI and the console backend may score them). */
  single_row_inline: SingleRowFigures;
  single_row_concurrent_64: { rows_per_s: number; p50_ms: number; p99_ms: number; mean_batch: number };
  rss_mb: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** CPU milliseconds of this process's main thread and of its other threads so far (Linux), else null. */
function threadCpuMs(): { main: number; others: number } | null {
  try {
    let main = 0;
    let others = 0;
    for (const task of readdirSync('/proc/self/task')) {
      const fields = readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime and stime, in clock ticks (100 per second on Linux).
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      if (Number(task) === process.pid) main += ms;
      else others += ms;
    }
    return { main, others };
  } catch {
    return null;
  }
}

function stageMedians(stages: StageTimings[]): StageMedians | null {
  if (stages.length === 0) return null;
  const median = (key: keyof StageTimings) =>
    round(
      quantile(
        stages.map((stage) => stage[key]).sort((a, b) => a - b),
        0.5,
      ),
      4,
    );
  return {
    queueMs: median('queueMs'),
    packMs: median('packMs'),
    transferMs: median('transferMs'),
    inferenceMs: median('inferenceMs'),
    returnMs: median('returnMs'),
  };
}

function applicantsFrom(packageDir: string, engine: ScoringEngine, count: number): Applicant[] {
  const base = readFileSync(path.join(packageDir, 'golden.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => engine.schema.validate((JSON.parse(line) as { input: unknown }).input))
    .flatMap((result) => (result.ok ? [result.value] : []));
  if (base.length === 0) throw new Error(`${packageDir}/golden.jsonl has no valid applicant`);
  return Array.from({ length: count }, (_, i) => base[i % base.length]!);
}

/** One call of a batch measurement: `scoreMany` on applicant objects, or `scoreColumns` on typed columns. */
type BatchCall = (start: number, size: number) => Promise<unknown>;

const fromObjects =
  (engine: ScoringEngine, pool: Applicant[]): BatchCall =>
  (start, size) =>
    engine.scoreMany(pool.slice(start, start + size));

const fromColumns =
  (engine: ScoringEngine, columns: ScoringColumns): BatchCall =>
  (start, size) =>
    engine.scoreColumns(sliceColumns(columns, start, start + size));

async function measureBatches(call: BatchCall, poolSize: number, size: number, seconds: number, lanes: number) {
  const latencies: number[] = [];
  let rows = 0;
  let offset = 0;
  const end = performance.now() + seconds * 1000;
  const lane = async () => {
    while (performance.now() < end) {
      const start = offset;
      offset = (offset + size) % Math.max(1, poolSize - size);
      const t0 = performance.now();
      await call(start, size);
      latencies.push(performance.now() - t0);
      rows += size;
    }
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const threadsBefore = threadCpuMs();
  await Promise.all(Array.from({ length: lanes }, lane));
  const cpu = process.cpuUsage(cpuBefore);
  const threadsAfter = threadCpuMs();
  const perCall = (key: 'main' | 'others') =>
    round((threadsAfter![key] - threadsBefore![key]) / Math.max(1, latencies.length), 3);
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
    cpu_ms_per_call: threadsBefore && threadsAfter ? { main: perCall('main'), others: perCall('others') } : null,
  };
}

async function measureSingles(engine: ScoringEngine, pool: Applicant[], seconds: number, stages: StageTimings[]) {
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
    stages: stageMedians(stages),
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

/** The engine a profile measures: the asked-for model alone (no fallback), its workers, a deadline no run reaches. */
function profilingEngine(options: ProfileOptions, extra: Partial<EngineOptions>): Promise<ScoringEngine> {
  return createEngine({
    modelsDir: options.modelsDir,
    champion: options.model,
    fallback: null,
    workers: options.workers,
    deadlineMs: 60_000,
    ...extra,
  });
}

/** Single applicants on an engine that scores a lone applicant on the caller's thread. */
async function measureInlineSingles(options: ProfileOptions, pool: Applicant[]): Promise<SingleRowFigures> {
  const stages: StageTimings[] = [];
  const engine = await profilingEngine(options, {
    loneApplicantsInline: true,
    observer: { batch: (event) => event.stages && stages.push(event.stages) },
  });
  try {
    stages.length = 0;
    return await measureSingles(engine, pool, options.durationS, stages);
  } finally {
    await engine.close();
  }
}

export async function profileModel(options: ProfileOptions): Promise<ModelProfile> {
  const batchSizes: number[] = [];
  const stages: StageTimings[] = [];
  const engine = await profilingEngine(options, {
    maxQueue: 1_000_000,
    observer: {
      batch: (event) => {
        batchSizes.push(event.size);
        if (event.stages) stages.push(event.stages);
      },
    },
  });
  try {
    const description = engine.describe().models[0]!;
    const largest = Math.max(...options.batchSizes);
    const pool = applicantsFrom(description.dir, engine, Math.max(largest * 2, 1000));
    const lanes = description.workers;
    const batches: BatchFigures[] = [];
    for (const size of options.batchSizes)
      batches.push(await measureBatches(fromObjects(engine, pool), pool.length, size, options.durationS, lanes));
    const columns = columnsFromApplicants(engine.schema, pool);
    const columnBatches: BatchFigures[] = [];
    for (const size of options.batchSizes.filter((size) => size >= 512)) {
      const call = fromColumns(engine, columns);
      columnBatches.push(await measureBatches(call, pool.length, size, options.durationS, lanes));
    }
    stages.length = 0;
    const single = await measureSingles(engine, pool, options.durationS, stages);
    batchSizes.length = 0;
    const concurrent = await measureConcurrentSingles(engine, pool, options.durationS, 64, batchSizes);
    const inline = await measureInlineSingles(options, pool);
    return {
      model: description.name,
      version: description.version,
      kind: description.kind,
      provider: description.provider,
      workers: description.workers,
      intra_op_threads: description.intraOpThreads,
      load_ms: round(description.loadMs, 1),
      batches,
      column_batches: columnBatches,
      best_rows_per_s: Math.max(...batches.map((b) => b.rows_per_s)),
      single_row: single,
      single_row_inline: inline,
      single_row_concurrent_64: concurrent,
      rss_mb: round(process.memoryUsage().rss / 2 ** 20, 1),
    };
  } finally {
    await engine.close();
  }
}
