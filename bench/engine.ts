/**
 * Scoring engine benchmark: for every registered package, rows per second and per-call latency at batch sizes
 * 1 … 4096 (scoreMany, all workers kept busy), then single applicants through the micro-batcher, one at a time and 64
 * at a time. Prints figures only; it never passes or fails on time. The CPU is shared with whatever else runs on
 * this machine, so figures move between runs.
 */
import os from 'node:os';
import path from 'node:path';
import { profileModel, type ModelProfile } from '../core/engine/index.ts';
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

export interface ModelFigures extends ModelProfile {
  aliases: string[];
}

export interface EngineBenchReport {
  machine: { cpu: string; cores: number; node: string; note: string };
  settings: { duration_s: number; batch_sizes: number[] };
  models: ModelFigures[];
  champion: { version: string; rows_per_s: number } | null;
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
      const profile = await profileModel({
        modelsDir: options.modelsDir,
        model: path.resolve(options.modelsDir, entry.path),
        durationS: options.durationS,
        batchSizes: options.batchSizes,
        workers: options.workers,
      });
      const figures: ModelFigures = { ...profile, model: name, version, aliases };
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
