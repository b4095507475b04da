/**
 * Scoring engine benchmark: for every registered package, rows per second and per-call latency at batch sizes
 * 1 … 4096 (scoreMany, all workers kept busy), then single applicants through the micro-batcher, one at a time and 64
 * at a time. For the champion, raw ONNX Runtime (Python, same model.onnx, same threads) runs in the same process
 * tree, alternating with Vigie round by round, and the report gives the ratios. Prints figures only; it never passes
 * or fails on time. The CPU is shared with whatever else runs on this machine, so figures move between runs: compare
 * the ratios of one run, not figures of two.
 */
import os from 'node:os';
import path from 'node:path';
import { profileModel, type BatchFigures, type ModelProfile } from '../core/engine/index.ts';
import { readRegistry } from '../core/registry/index.ts';
import { runOnnxruntimePeer, type PeerFigures } from './onnxruntime-peer.ts';

export interface EngineBenchOptions {
  modelsDir: string;
  /** Seconds spent on each measurement. */
  durationS: number;
  batchSizes: number[];
  workers?: number;
  /** Only these versions (default: every registered one). */
  versions?: string[];
  /** Python that runs the raw onnxruntime peer on the champion; null skips the peer. */
  python?: string | null;
  /** Vigie/peer rounds on the champion, alternating who goes first. @default 1 */
  rounds?: number;
}

export interface PeerRatio {
  batch_size: number;
  vigie_rows_per_s: number;
  /** The better of the peer's two ways of using the threads (see bench/peers/onnxruntime_peer.py). */
  peer_rows_per_s: number;
  peer_mode: 'session' | 'concurrent';
  /** Vigie ÷ peer, rows per second. */
  ratio: number;
  vigie_rows_per_cpu_s: number;
  peer_rows_per_cpu_s: number;
  /** Vigie ÷ peer, rows per CPU-second (the cost of a row, less sensitive to the other load on the machine). */
  cpu_ratio: number;
}

export interface PeerRound {
  load_average: number[];
  first: 'vigie' | 'peer';
  /** Vigie fed applicant objects (`scoreMany`, as the API feeds it). */
  ratios: PeerRatio[];
  /** Vigie fed typed columns (`scoreColumns`, as replay and batch scoring feed it), batch sizes ≥ 512. */
  column_ratios: PeerRatio[];
  /** `vigie_…`: the worker path, as the API scores one applicant; `vigie_inline_…`: on the caller's thread. */
  single_row: {
    vigie_p50_ms: number;
    vigie_inline_p50_ms: number;
    peer_p50_ms: number;
    vigie_p99_ms: number;
    vigie_inline_p99_ms: number;
    peer_p99_ms: number;
  };
  peer: PeerFigures;
  vigie: Pick<ModelProfile, 'batches' | 'column_batches' | 'single_row' | 'single_row_inline'>;
}

export interface PeerComparison {
  peer: 'onnxruntime (Python)';
  version: string;
  threads: number;
  /** Why the peer did not run, when it did not. */
  skipped?: string;
  versions?: Record<string, string>;
  rounds: PeerRound[];
}

export interface ModelFigures extends ModelProfile {
  aliases: string[];
}

export interface EngineBenchReport {
  machine: { cpu: string; cores: number; node: string; note: string };
  settings: { duration_s: number; batch_sizes: number[] };
  models: ModelFigures[];
  champion: { version: string; rows_per_s: number } | null;
  peer: PeerComparison | null;
}

const loadAverage = () => os.loadavg().map((load) => Number(load.toFixed(2)));

function compare(vigie: ModelProfile, peer: PeerFigures, first: PeerRound['first'], load: number[]): PeerRound {
  const against = (batch: BatchFigures) => {
    const i = vigie.batches.findIndex((b) => b.batch_size === batch.batch_size);
    const session = peer.session[i]!;
    const concurrent = peer.concurrent[i]!;
    const best = concurrent.rows_per_s > session.rows_per_s ? concurrent : session;
    return {
      batch_size: batch.batch_size,
      vigie_rows_per_s: batch.rows_per_s,
      peer_rows_per_s: best.rows_per_s,
      peer_mode: best === concurrent ? ('concurrent' as const) : ('session' as const),
      ratio: Number((batch.rows_per_s / best.rows_per_s).toFixed(3)),
      vigie_rows_per_cpu_s: batch.rows_per_cpu_s,
      peer_rows_per_cpu_s: best.rows_per_cpu_s,
      cpu_ratio: Number((batch.rows_per_cpu_s / best.rows_per_cpu_s).toFixed(3)),
    };
  };
  return {
    load_average: load,
    first,
    ratios: vigie.batches.map(against),
    column_ratios: vigie.column_batches.map(against),
    single_row: {
      vigie_p50_ms: vigie.single_row.p50_ms,
      vigie_inline_p50_ms: vigie.single_row_inline.p50_ms,
      peer_p50_ms: peer.single_row.p50_ms,
      vigie_p99_ms: vigie.single_row.p99_ms,
      vigie_inline_p99_ms: vigie.single_row_inline.p99_ms,
      peer_p99_ms: peer.single_row.p99_ms,
    },
    peer,
    vigie: {
      batches: vigie.batches,
      column_batches: vigie.column_batches,
      single_row: vigie.single_row,
      single_row_inline: vigie.single_row_inline,
    },
  };
}

export async function runEngineBench(
  options: EngineBenchOptions,
  progress: (line: string) => void = () => undefined,
): Promise<EngineBenchReport> {
  const registry = await readRegistry(options.modelsDir);
  const models: ModelFigures[] = [];
  let champion: EngineBenchReport['champion'] = null;
  let peer: PeerComparison | null = null;
  for (const [name, model] of Object.entries(registry.models)) {
    for (const [version, entry] of Object.entries(model.versions)) {
      if (options.versions && !options.versions.includes(version)) continue;
      const aliases = Object.entries(model.aliases)
        .filter(([, v]) => v === version)
        .map(([alias]) => alias);
      progress(`benchmarking ${name} ${version}${aliases.length ? ` (${aliases.join(', ')})` : ''}…`);
      const profileOnce = () =>
        profileModel({
          modelsDir: options.modelsDir,
          model: path.resolve(options.modelsDir, entry.path),
          durationS: options.durationS,
          batchSizes: options.batchSizes,
          workers: options.workers,
        });
      let profile: ModelProfile;
      if (aliases.includes('champion') && options.python) {
        const packageDir = path.resolve(options.modelsDir, entry.path);
        const comparison = await comparePeer(options, options.python, packageDir, version, profileOnce, progress);
        profile = comparison.first;
        peer = comparison.report;
      } else {
        profile = await profileOnce();
      }
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
    peer,
  };
}

/** Vigie and the peer on the champion, `rounds` times, alternating who goes first (Vigie in the first round). */
async function comparePeer(
  options: EngineBenchOptions,
  python: string,
  packageDir: string,
  version: string,
  profileOnce: () => Promise<ModelProfile>,
  progress: (line: string) => void,
): Promise<{ first: ModelProfile; report: PeerComparison }> {
  const rounds = options.rounds ?? 1;
  const report: PeerComparison = { peer: 'onnxruntime (Python)', version, threads: 0, rounds: [] };
  let first: ModelProfile | null = null;
  for (let round = 0; round < rounds; round += 1) {
    const order: PeerRound['first'] = round % 2 === 0 ? 'vigie' : 'peer';
    const load = loadAverage();
    let vigie = order === 'vigie' ? await profileOnce() : null;
    first ??= vigie!;
    // The same number of threads: Vigie's workers × intra-op threads per worker.
    report.threads = first.workers * first.intra_op_threads;
    progress(`round ${round + 1}/${rounds}: raw onnxruntime (Python) on the same model.onnx…`);
    const outcome = await runOnnxruntimePeer({
      python,
      packageDir,
      threads: report.threads,
      durationS: options.durationS,
      batchSizes: options.batchSizes,
    });
    vigie ??= await profileOnce();
    if (!outcome.ok) {
      report.skipped = outcome.skipped;
      break;
    }
    report.versions = outcome.figures.versions;
    report.rounds.push(compare(vigie, outcome.figures, order, load));
  }
  return { first: first!, report };
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
      '  batch      rows/s  rows/cpu-s    p50 ms    p99 ms   CPU ms per call: caller thread + other threads',
      '  from applicant objects (scoreMany, as the API feeds it):',
    );
    for (const b of m.batches) {
      const cpu = b.cpu_ms_per_call ? `${b.cpu_ms_per_call.main} + ${b.cpu_ms_per_call.others}` : 'n/a';
      lines.push(
        `  ${String(b.batch_size).padStart(5)} ${String(b.rows_per_s).padStart(11)} ${String(b.rows_per_cpu_s).padStart(11)} ${b.p50_ms.toFixed(3).padStart(9)} ${b.p99_ms.toFixed(3).padStart(9)}   ${cpu}`,
      );
    }
    if (m.column_batches.length > 0)
      lines.push('  from typed columns (scoreColumns, as replay/batch scoring feed it):');
    for (const b of m.column_batches) {
      const cpu = b.cpu_ms_per_call ? `${b.cpu_ms_per_call.main} + ${b.cpu_ms_per_call.others}` : 'n/a';
      lines.push(
        `  ${String(b.batch_size).padStart(5)} ${String(b.rows_per_s).padStart(11)} ${String(b.rows_per_cpu_s).padStart(11)} ${b.p50_ms.toFixed(3).padStart(9)} ${b.p99_ms.toFixed(3).padStart(9)}   ${cpu}`,
      );
    }
    const st = m.single_row.stages;
    const inline = m.single_row_inline;
    lines.push(
      `  single applicant, one at a time, worker path (as the API scores it): p50 ${m.single_row.p50_ms} ms, p99 ${m.single_row.p99_ms} ms (${m.single_row.calls} calls)`,
      ...(st
        ? [
            `    median stages, ms: queue ${st.queueMs}, pack ${st.packMs}, to the worker ${st.transferMs}, ` +
              `in the worker (feeds, run, output) ${st.inferenceMs}, back ${st.returnMs}`,
          ]
        : []),
      `  single applicant, one at a time, on the caller's thread (loneApplicantsInline, CLI/console backend only): ` +
        `p50 ${inline.p50_ms} ms, p99 ${inline.p99_ms} ms (${inline.calls} calls)` +
        (inline.stages ? `; median stages, ms: pack ${inline.stages.packMs}, run ${inline.stages.inferenceMs}` : ''),
      `  single applicants, 64 in flight: ${m.single_row_concurrent_64.rows_per_s} rows/s, p50 ${m.single_row_concurrent_64.p50_ms} ms, ` +
        `p99 ${m.single_row_concurrent_64.p99_ms} ms, mean micro-batch ${m.single_row_concurrent_64.mean_batch}`,
    );
  }
  if (report.champion)
    lines.push('', `champion (version ${report.champion.version}) best: ${report.champion.rows_per_s} rows/s`);
  if (report.peer) lines.push('', ...formatPeer(report.peer));
  return lines.join('\n');
}

function formatPeer(peer: PeerComparison): string[] {
  const title = `peer: raw ${peer.peer} on the champion's model.onnx (version ${peer.version}), ${peer.threads} threads`;
  if (peer.skipped) return [`${title}: skipped, ${peer.skipped}`];
  const versions = Object.entries(peer.versions ?? {})
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  const lines = [`${title} (${versions}); ratio = Vigie ÷ peer, in the same run`];
  peer.rounds.forEach((round, i) => {
    lines.push(
      `  round ${i + 1} (${round.first} first, load average ${round.load_average.join(' ')})`,
      '  batch  Vigie rows/s   peer rows/s (mode)      ratio   rows/cpu-s ratio',
    );
    const row = (r: PeerRatio) =>
      `  ${String(r.batch_size).padStart(5)} ${String(r.vigie_rows_per_s).padStart(13)} ${String(r.peer_rows_per_s).padStart(13)} ${`(${r.peer_mode})`.padEnd(12)} ${r.ratio.toFixed(3).padStart(6)}× ${r.cpu_ratio.toFixed(3).padStart(10)}×`;
    lines.push('  from applicant objects (as the API feeds it):', ...round.ratios.map(row));
    if (round.column_ratios.length > 0)
      lines.push('  from typed columns (as replay/batch scoring feed it):', ...round.column_ratios.map(row));
    const s = round.single_row;
    lines.push(
      `  single row, one at a time: peer p50 ${s.peer_p50_ms} ms (p99 ${s.peer_p99_ms}); Vigie worker path (API) p50 ${s.vigie_p50_ms} ms (p99 ${s.vigie_p99_ms}), ` +
        `Vigie on the caller's thread (CLI/console) p50 ${s.vigie_inline_p50_ms} ms (p99 ${s.vigie_inline_p99_ms})`,
    );
  });
  return lines;
}
