/**
 * Drift side by side: `vigie drift` on two CSV files (20 000 reference × 1 000 000 current simulated applicants)
 * against Evidently's DataDriftPreset on the same files, and the drift of every field of the records of a store
 * (read + statistics). Prints figures and ratios, never pass/fail.
 *
 *   vigie bench drift [--rows 1000000] [--reference-rows 20000] [--dir <folder>] [--db <store>] [--no-peers] [--json]
 *
 * The CSV run is a child process (the real command), so its peak RSS is its own; the files are kept in --dir and
 * reused when they are there. The CPU (2 cores on the reference box) is shared with whatever else runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  analyzeDriftInParallel,
  DriftHelper,
  driftConfig,
  driftFields,
  loadPackageReference,
} from '../core/analysis/index.ts';
import { loadModelPackage } from '../core/contract/index.ts';
import { openStore } from '../db/index.ts';
import { ratio, runPeer, type PeerResult } from './peers.ts';

const CLI = fileURLToPath(new URL('../bin/vigie.js', import.meta.url));
const CHILD = fileURLToPath(new URL('./drift-csv-child.ts', import.meta.url));
const MODEL = fileURLToPath(new URL('../models/credit-default/1', import.meta.url));

export interface DriftBenchOptions {
  rows?: number;
  referenceRows?: number;
  dir?: string;
  db?: string;
  modelDir?: string;
  peers?: boolean;
  json?: boolean;
}

interface CsvRun {
  code: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** From spawning the process to its exit: node, tsx and the CLI's modules loading included. */
  processSeconds: number;
}

function simulate(file: string, rows: number, seed: number, say: (text: string) => void): void {
  if (existsSync(file)) return;
  say(`simulating ${rows.toLocaleString('en-US')} applicants into ${file} …`);
  const child = spawnSync(
    process.execPath,
    [CLI, 'simulate', 'applicants', '--rows', String(rows), '--seed', String(seed), '--out', file],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`simulating ${file} failed: ${child.stderr.trim().split('\n').pop()}`);
}

function runCsvDrift(reference: string, current: string): CsvRun {
  const tsx = import.meta.resolve('tsx');
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', tsx, CHILD, reference, current], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
  });
  const figures = child.output[3] as string | null;
  if (child.status !== 0 || !figures) throw new Error(`vigie drift failed (exit ${child.status})`);
  const run = { ...(JSON.parse(figures.trim()) as CsvRun), processSeconds: (performance.now() - started) / 1000 };
  if (run.code !== 0) throw new Error(`vigie drift exited with ${run.code}`);
  return run;
}

/**
 * As `vigie drift --db` runs: the store's reader thread and the statistics' helper thread start first and load while
 * the model's reference is read; the read and the statistics are timed, the reference load is not.
 */
async function storedDrift(db: string, modelDir: string) {
  const helper = DriftHelper.start();
  const store = openStore(db, { readonly: true });
  try {
    store.warmColumnReaders();
    const pkg = await loadModelPackage(modelDir);
    const reference = await loadPackageReference(pkg);
    const cpu = process.cpuUsage();
    let t = performance.now();
    const current = store.readColumns({ statuses: ['ok', 'invalid'] }, driftFields(pkg.schema.fields));
    const readSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const analysis = await analyzeDriftInParallel({ reference, current, config: driftConfig() }, { helper });
    const analysisSeconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    return {
      records: current.count,
      fields: analysis.fields.length + (analysis.prediction ? 1 : 0),
      readSeconds,
      analysisSeconds,
      seconds: readSeconds + analysisSeconds,
      cpuSeconds: (used.user + used.system) / 1e6,
    };
  } finally {
    store.close();
    helper?.close();
  }
}

export async function run(options: DriftBenchOptions = {}): Promise<void> {
  const rows = options.rows ?? 1_000_000;
  const referenceRows = options.referenceRows ?? 20_000;
  const work = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-drift-'));
  const say = (text: string): void => {
    if (!options.json) process.stderr.write(`${text}\n`);
  };
  try {
    mkdirSync(work, { recursive: true });
    const reference = path.join(work, `reference-${referenceRows}.csv`);
    const current = path.join(work, `current-${rows}.csv`);
    simulate(reference, referenceRows, 1, say);
    simulate(current, rows, 2, say);
    say('vigie drift on the CSV files …');
    const csv = runCsvDrift(reference, current);
    let evidently: PeerResult | null = null;
    if (options.peers !== false) {
      say('Evidently DataDriftPreset on the same files (minutes) …');
      evidently = runPeer('drift_evidently.py', [reference, current], 1800);
    }
    let stored: Awaited<ReturnType<typeof storedDrift>> | { skipped: string };
    if (options.db) {
      say(`drift of the records stored in ${options.db} …`);
      stored = await storedDrift(options.db, options.modelDir ?? MODEL);
    } else {
      stored = { skipped: 'give --db <store> (vigie bench ingest --dir D keeps one in D/bench.sqlite)' };
    }
    const loadAverage = os.loadavg().map((l) => Number(l.toFixed(2)));
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ rows, referenceRows, csv, evidently, stored, loadAverage })}\n`);
      return;
    }
    const n = (x: number): string => x.toLocaleString('en-US');
    const lines = [
      `drift of CSV files, ${n(referenceRows)} reference × ${n(rows)} current rows:`,
      `  vigie drift: ${csv.seconds.toFixed(2)} s wall in the command, ${csv.cpuSeconds.toFixed(2)} s CPU, peak RSS ${csv.peakRssMb} MB; ` +
        `${csv.processSeconds.toFixed(2)} s from process start to exit (node + tsx + the CLI's modules: ${(csv.processSeconds - csv.seconds).toFixed(2)} s)`,
    ];
    if (!evidently) lines.push('  Evidently: not run (--no-peers)');
    else if (!evidently.ok) lines.push(`  Evidently: skipped: ${evidently.reason}`);
    else {
      const f = evidently.figures;
      lines.push(
        `  Evidently ${f.version} DataDriftPreset: ${Number(f.seconds).toFixed(1)} s wall (${Number(f.read_seconds).toFixed(1)} s of it pandas read_csv), ` +
          `${Number(f.cpu_seconds).toFixed(1)} s CPU, peak RSS ${f.peak_rss_mb} MB`,
        `  Vigie/Evidently: ${ratio(csv.seconds, Number(f.seconds), false)} faster (wall), ` +
          `${ratio(csv.cpuSeconds, Number(f.cpu_seconds), false)} less CPU, ${ratio(csv.peakRssMb, Number(f.peak_rss_mb), false)} less memory`,
      );
    }
    if ('skipped' in stored) lines.push(`drift of stored records: skipped: ${stored.skipped}`);
    else {
      lines.push(
        `drift of ${n(stored.records)} stored records × ${stored.fields} fields (no peer): ${stored.seconds.toFixed(2)} s ` +
          `(read ${stored.readSeconds.toFixed(2)} s + statistics ${stored.analysisSeconds.toFixed(2)} s), ${stored.cpuSeconds.toFixed(2)} s CPU`,
      );
    }
    lines.push(
      `machine: ${os.cpus().length} CPUs shared with other work (load average ${loadAverage.join(', ')}): figures are a floor`,
      '',
    );
    process.stdout.write(lines.join('\n'));
  } finally {
    if (!options.dir) rmSync(work, { recursive: true, force: true });
    else say(`kept ${work}`);
  }
}
