/**
 * Challenger benchmarks (issue 13), figures only, never pass/fail:
 * - `vigie bench replay`: a store of N stored scored records (default 1 000 000: simulated traffic scored by the
 *   champion, ingested, then copied with new request ids and later times until N), replayed against a candidate
 *   (default the challenger); prints rows/s and the peak RSS sampled during the replay (the store build is left out).
 * - `vigie bench shadow`: `vigie bench api` twice in a row on the same machine, shadow mode off then on
 *   (VIGIE_SHADOW_MODEL), and prints the fixed-rate p99 and the peak req/s of both.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../core/engine/index.ts';
import { FLAT_COLUMNS } from '../core/ingest/flat-record.ts';
import { ingestRecords } from '../core/ingest/index.ts';
import { replay } from '../core/replay/index.ts';
import { generateTraffic, scoreTraffic } from '../core/simulate/index.ts';
import { openStore, type Store } from '../db/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SEED_ROWS = 20_000;
const DAY = 86_400_000;

const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
const machine = () =>
  `${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), load average ${load()}`;

async function buildStore(file: string, rows: number, modelsDir: string, log: (line: string) => void): Promise<Store> {
  const store = openStore(file, { readThreads: 1 });
  const engine = await createEngine({ modelsDir, champion: 'champion', fallback: null });
  const seedRows = Math.min(rows, SEED_ROWS);
  try {
    const traffic = generateTraffic({ days: 7, rows: Math.ceil(seedRows / 0.965), seed: 13, schema: engine.schema });
    await ingestRecords(store, scoreTraffic(traffic, engine), 'bench:replay');
  } finally {
    await engine.close();
  }
  const seeded = store.countScored({});
  // Copies of the scored records, a week later each round, written through the store (the records table is a view
  // over rows and column chunks since migration 0007, docs/decisions/1607-column-chunk-store.md).
  const read = store.db.prepare(
    `SELECT ${FLAT_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM predictions WHERE status = 'ok' AND id <= ? ORDER BY id`,
  );
  const maxId = store.db.prepare('SELECT max(id) FROM predictions').pluck().get() as number;
  const originals = read.raw().all(maxId) as unknown[][];
  const source = store.openNamedSource('generator', 'bench:replay-copies');
  const TS = FLAT_COLUMNS.indexOf('ts');
  const ID = FLAT_COLUMNS.indexOf('request_id');
  for (let k = 1, have = seeded; have < rows && originals.length > 0; k += 1) {
    const copies = originals.slice(0, rows - have).map((row) => {
      const copy = [...row];
      copy[TS] = (row[TS] as number) + k * 7 * DAY;
      copy[ID] = `${String(row[ID])}-${k}`;
      return copy;
    });
    for (let i = 0; i < copies.length; i += 10_000) {
      const batch = copies.slice(i, i + 10_000);
      have += store.writeBatch(source.id, { rows: batch, quarantined: [], lines: batch.length }).inserted;
    }
  }
  log(
    `store: ${store.countScored({}).toLocaleString('en')} scored records (${seeded.toLocaleString('en')} simulated, the rest copies)`,
  );
  return store;
}

export interface ReplayBenchOptions {
  rows?: number;
  candidate?: string;
  modelsDir?: string;
  workers?: number;
  batchSize?: number;
  /** Keep the store here instead of a temporary folder (built when missing). */
  db?: string;
}

export async function runReplayBench(options: ReplayBenchOptions, log: (line: string) => void): Promise<string> {
  const rows = options.rows ?? 1_000_000;
  const modelsDir = options.modelsDir ?? path.join(ROOT, 'models');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-replay-'));
  const file = options.db ?? path.join(dir, 'store.sqlite');
  try {
    let store = openStore(file, { readThreads: 1 });
    if (store.countScored({}) < rows) {
      store.close();
      rmSync(file, { force: true });
      store = await buildStore(file, rows, modelsDir, log);
    }
    let peakRss = process.memoryUsage().rss;
    const before = peakRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const loadBefore = load();
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const report = await replay({
      source: store,
      modelsDir,
      candidate: options.candidate ?? 'challenger',
      workers: options.workers,
      batchSize: options.batchSize,
      latencyProbe: 0,
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    store.close();
    const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MiB`;
    return [
      `vigie bench replay — ${report.requests.toLocaleString('en')} stored records against ${report.candidate.ref} (${report.candidate.models.join(', ')})`,
      `machine: ${machine()} (before the replay: ${loadBefore})`,
      `replay: ${seconds.toFixed(2)} s, ${Math.round(report.requests / seconds).toLocaleString('en')} rows/s (models loaded and closed included), ${report.flips.rates.flips.toFixed(4)} flip rate`,
      ...(report.stages
        ? [
            `main thread: read ${report.stages.readS.toFixed(2)} s, waiting for the model ${report.stages.scoreWaitS.toFixed(2)} s, compare ${report.stages.compareS.toFixed(2)} s (the workers score while the next chunk is read)`,
          ]
        : []),
      `cpu: ${cpuS(cpuStart)} (all threads of this process)`,
      `memory: peak RSS ${mb(peakRss)} during the replay (${mb(before)} before it)`,
      '',
    ].join('\n');
  } finally {
    if (!options.db) rmSync(dir, { recursive: true, force: true });
  }
}

function cpuS(start: NodeJS.CpuUsage): string {
  const used = process.cpuUsage(start);
  return `user ${(used.user / 1e6).toFixed(2)} s, system ${(used.system / 1e6).toFixed(2)} s`;
}

interface ApiFigures {
  /** One entry per fixed-rate round of `vigie bench api`. */
  fixed_rate: Array<{
    rate: number;
    completed: number;
    duration_s: number;
    p50_ms: number;
    p99_ms: number;
    errors: number;
  }>;
  peak: { rps: number; p50_ms: number; p99_ms: number; errors: number };
}

function benchApi(env: Record<string, string>, args: string[]): Promise<ApiFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/vigie.js'), 'bench', 'api', '--json', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`vigie bench api exited with code ${code}`));
      resolve(JSON.parse(output.trim().split('\n').at(-1)!) as ApiFigures);
    });
  });
}

export interface ShadowBenchOptions {
  shadowModel?: string;
  duration?: number;
  rate?: number;
  workers?: number;
}

export async function runShadowBench(options: ShadowBenchOptions): Promise<string> {
  const args = ['--duration', String(options.duration ?? 20), '--rate', String(options.rate ?? 500)];
  if (options.workers !== undefined) args.push('--workers', String(options.workers));
  const off = await benchApi({}, args);
  const on = await benchApi({ VIGIE_SHADOW_MODEL: options.shadowModel ?? 'challenger' }, args);
  const rounds = (f: ApiFigures) =>
    f.fixed_rate
      .map(
        (r) =>
          `${Math.round(r.completed / r.duration_s)} req/s answered, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, errors ${r.errors}`,
      )
      .join(' | ');
  const line = (label: string, f: ApiFigures) =>
    `${label}: fixed rate ${rounds(f)}; peak ${f.peak.rps} req/s, p99 ${f.peak.p99_ms} ms, errors ${f.peak.errors}`;
  return [
    `vigie bench shadow — POST /v1/score at ${options.rate ?? 500} req/s, then peak, shadow off then on (${options.shadowModel ?? 'challenger'})`,
    `machine: ${machine()}; the load generator shares the cores with the API`,
    line('shadow off', off),
    line('shadow on ', on),
    '',
  ].join('\n');
}
