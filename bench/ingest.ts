/**
 * Ingest benchmark: simulates N records of API traffic as the API's rotated `.jsonl.gz` log files, imports them into
 * a fresh store in a child process (so its peak RSS is the import's alone), then times the reads the console and
 * the drift analysis make on the result. Prints figures, never pass/fail.
 *
 *   vigie bench ingest [--records 1000000] [--days 7] [--dir <folder>] [--json]
 *   node --import tsx bench/ingest.ts [--records 1000000] [--days 7] [--dir <folder>] [--json]
 *
 * The CPU (2 cores on the reference box) is shared with whatever else runs, so the figures are a floor.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compileInputSchema } from '../core/contract/index.ts';
import { ingestPaths } from '../core/ingest/index.ts';
import { writeTrafficFiles } from '../core/simulate/index.ts';
import { openStore } from '../db/index.ts';
import { ratio, runPeer, type PeerResult } from './peers.ts';

const SCHEMA = fileURLToPath(new URL('../tests/fixtures/input_schema.json', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

interface ImportFigures {
  records: number;
  lines: number;
  inserted: number;
  seconds: number;
  cpuSeconds: number;
  recordsPerSecond: number;
  peakRssMb: number;
  storeMb: number;
  reimportSkipSeconds: number;
  /** Closing the store after the import (its last WAL checkpoint), not counted in `seconds`. */
  closeSeconds: number;
  /** CPU seconds of the importing (writing) thread alone, where the system tells (Linux), else null. */
  mainThreadCpuSeconds: number | null;
}

/** CPU seconds this process's main thread used so far (Linux /proc), or null. */
function mainThreadCpu(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Runs in the child: import the folder, report figures as JSON on stdout. */
async function importOnly(dir: string, db: string, threads = false): Promise<void> {
  const store = openStore(db);
  const cpu = process.cpuUsage();
  const mainBefore = mainThreadCpu();
  const summary = await ingestPaths(store, [dir], { threads });
  const used = process.cpuUsage(cpu);
  const mainAfter = mainThreadCpu();
  const skipStart = performance.now();
  await ingestPaths(store, [dir]);
  const reimportSkipSeconds = (performance.now() - skipStart) / 1000;
  const closeStart = performance.now();
  store.close();
  const closeSeconds = (performance.now() - closeStart) / 1000;
  const figures: ImportFigures = {
    records: summary.inserted + summary.duplicates,
    lines: summary.lines,
    inserted: summary.inserted,
    seconds: summary.seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    recordsPerSecond: Math.round(summary.lines / summary.seconds),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    storeMb: Math.round(statSync(db).size / 1e6),
    reimportSkipSeconds,
    closeSeconds,
    mainThreadCpuSeconds: mainBefore === null || mainAfter === null ? null : mainAfter - mainBefore,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Imports the folder into a fresh store in a child process (its peak RSS is the import's alone). */
function importChild(logs: string, db: string, threads: boolean): ImportFigures {
  const tsx = import.meta.resolve('tsx');
  const args = ['--import', tsx, SELF, '--import-only', logs, '--db', db, ...(threads ? ['--threads'] : [])];
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`the import child failed with exit code ${child.status}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ImportFigures;
}

interface StepFigures {
  records: number;
  cpu_us_per_record: Record<string, number>;
  threaded_us_per_record?: { prepare_on_reader: number; write_prepared: number };
  json_parse_us_per_record: number;
  text_path_us_per_record: number;
  total_cpu_us_per_record: number;
}

/** The per-step CPU cost of one record (bench/ingest-steps.ts, in a child process), or null when it failed. */
function stepBreakdown(): StepFigures | null {
  const tsx = import.meta.resolve('tsx');
  const steps = fileURLToPath(new URL('./ingest-steps.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', tsx, steps, '--records', '100000', '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) return null;
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as StepFigures;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

export interface IngestBenchOptions {
  /** Records to simulate. @default 1000000 */
  records?: number;
  /** Days they span. @default 7 */
  days?: number;
  /** Work folder, kept afterwards; absent: a temporary folder, removed. */
  dir?: string;
  /** Print one JSON object instead of text. */
  json?: boolean;
  /** Run the peers (DuckDB, pandas) on the same files when they are installed. @default true */
  peers?: boolean;
}

export async function run(options: IngestBenchOptions = {}): Promise<void> {
  const values = { json: false, ...options };
  const rows = options.records ?? 1_000_000;
  const days = options.days ?? 7;
  const work = values.dir ?? mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-ingest-'));
  const logs = path.join(work, 'logs');
  const db = path.join(work, 'bench.sqlite');
  const say = (text: string): void => {
    if (!values.json) process.stderr.write(`${text}\n`);
  };
  try {
    const schema = compileInputSchema(JSON.parse(readFileSync(SCHEMA, 'utf8')) as unknown);
    say(`simulating ${rows.toLocaleString('en-US')} records over ${days} days into ${logs} …`);
    const genStart = performance.now();
    await writeTrafficFiles({ dir: logs, rows, days, seed: 7, schema, gzip: true });
    // The simulator leaves the last day open (plain .jsonl), as the API does; the benchmark reads .jsonl.gz only.
    for (const name of readdirSync(logs).filter((n) => n.endsWith('.jsonl'))) {
      await pipeline(
        createReadStream(path.join(logs, name)),
        createGzip(),
        createWriteStream(path.join(logs, `${name}.gz`)),
      );
      rmSync(path.join(logs, name));
    }
    const gzBytes = readdirSync(logs).reduce((sum, name) => sum + statSync(path.join(logs, name)).size, 0);
    say(`  ${((performance.now() - genStart) / 1000).toFixed(1)} s, ${(gzBytes / 1e6).toFixed(0)} MB of log files`);

    // A store left by an earlier run in the same folder would make this import skip every file.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    say('importing in a child process (the default: reading and preparing on a worker thread) …');
    const imported = importChild(logs, db, true);
    say('importing again into another store, all on one thread (threads: false) …');
    const singleDb = path.join(work, 'bench-one-thread.sqlite');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${singleDb}${suffix}`, { force: true });
    const single = importChild(logs, singleDb, false);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${singleDb}${suffix}`, { force: true });

    say("where one record's CPU time goes, step by step (bench/ingest-steps.ts, 100,000 records) …");
    const steps = stepBreakdown();

    const peers: Record<string, PeerResult> = {};
    if (values.peers !== false) {
      for (const peer of ['duckdb', 'pandas']) {
        say(`${peer} on the same files …`);
        peers[peer] = runPeer('ingest_peers.py', [peer, logs]);
      }
    }

    const store = openStore(db, { readonly: true });
    const columns = time(() => store.readColumns({ statuses: ['ok'] }, schema.fields));
    const operational = time(() => store.readOperational({}));
    const bounds = store.timeBounds()!;
    const overviewHour = time(() => store.overview.query({ bucket: 'hour' }));
    const overviewDay = time(() => store.overview.query({ bucket: 'day' }));
    const lastDay = time(() =>
      store.overview.query({ from: bounds.to - 86_400_000, to: bounds.to + 1, bucket: 'hour' }),
    );
    const quarantine = time(() => store.catalog.listQuarantine({ limit: 100 }));
    store.close();

    const figures = {
      ...imported,
      oneThread: {
        seconds: single.seconds,
        cpuSeconds: single.cpuSeconds,
        recordsPerSecond: single.recordsPerSecond,
        peakRssMb: single.peakRssMb,
        closeSeconds: single.closeSeconds,
      },
      logFilesMb: Math.round(gzBytes / 1e6),
      readColumnsAllFieldsMs: Math.round(columns.ms),
      readColumnsRows: columns.value.count,
      readOperationalMs: Math.round(operational.ms),
      overviewAllHoursMs: Math.round(overviewHour.ms),
      overviewAllDaysMs: Math.round(overviewDay.ms),
      overviewLastDayMs: Math.round(lastDay.ms),
      listQuarantineMs: Math.round(quarantine.ms),
      peers,
      steps,
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      return;
    }
    const n = (x: number): string => x.toLocaleString('en-US');
    process.stdout.write(
      [
        `ingest: ${n(imported.lines)} lines (${n(imported.inserted)} inserted) from ${figures.logFilesMb} MB of .jsonl.gz files`,
        `  Vigie (default: read, parse and prepare on a worker thread, write on the importing thread): ${imported.seconds.toFixed(2)} s wall, ${imported.cpuSeconds.toFixed(1)} s CPU` +
          (imported.mainThreadCpuSeconds === null
            ? ''
            : ` (writing thread ${imported.mainThreadCpuSeconds.toFixed(1)} s)`) +
          `: ${n(imported.recordsPerSecond)} records/s, ${n(Math.round(imported.lines / imported.cpuSeconds))} records per CPU-second`,
        `  peak RSS ${imported.peakRssMb} MB, store ${imported.storeMb} MB, closing the store (last WAL checkpoint, not counted) ${imported.closeSeconds.toFixed(2)} s, re-import (skip) ${imported.reimportSkipSeconds.toFixed(2)} s`,
        `  all on one thread (threads: false): ${single.seconds.toFixed(2)} s wall, ${single.cpuSeconds.toFixed(1)} s CPU: ${n(single.recordsPerSecond)} records/s, peak RSS ${single.peakRssMb} MB, close ${single.closeSeconds.toFixed(2)} s`,
        ...Object.entries(peers).map(([name, peer]) => {
          if (!peer.ok) return `  ${name}: skipped: ${peer.reason}`;
          const rate = Number(peer.figures.records) / Number(peer.figures.seconds);
          const perCpu = Number(peer.figures.records) / Number(peer.figures.cpu_seconds);
          const ours = imported.lines / imported.cpuSeconds;
          return (
            `  ${name} ${peer.figures.version} on the same files: ${n(Math.round(rate))} records/s, ${n(Math.round(perCpu))} per CPU-second ` +
            `(${Number(peer.figures.seconds).toFixed(1)} s, peak RSS ${peer.figures.peak_rss_mb} MB): ` +
            `Vigie/${name} ${ratio(imported.recordsPerSecond, rate, true)} (wall), ${ratio(ours, perCpu, true)} (CPU); ` +
            `one thread/${name} ${ratio(single.recordsPerSecond, rate, true)} (wall)`
          );
        }),
        ...(steps
          ? [
              `  CPU µs per record, step by step on one thread (${n(steps.records)} records): ` +
                Object.entries(steps.cpu_us_per_record)
                  .map(([name, us]) => `${name} ${us.toFixed(2)}`)
                  .join(', ') +
                `; total ${steps.total_cpu_us_per_record.toFixed(2)} (as text, split + JSON.parse + canonicalRow ${steps.text_path_us_per_record.toFixed(2)}; JSON.parse alone ${steps.json_parse_us_per_record.toFixed(2)})` +
                (steps.threaded_us_per_record
                  ? `; default split: reader adds prepare ${steps.threaded_us_per_record.prepare_on_reader.toFixed(2)}, writer writes a prepared batch in ${steps.threaded_us_per_record.write_prepared.toFixed(2)}`
                  : ''),
            ]
          : ['  step breakdown: skipped (bench/ingest-steps.ts failed)']),
        `reads on ${n(imported.inserted)} stored records:`,
        `  readColumns(all ${schema.fields.length} fields, status ok): ${n(columns.value.count)} rows in ${figures.readColumnsAllFieldsMs} ms`,
        `  readOperational: ${figures.readOperationalMs} ms`,
        `  overview by hour (whole range): ${figures.overviewAllHoursMs} ms; by day: ${figures.overviewAllDaysMs} ms; last day: ${figures.overviewLastDayMs} ms`,
        `  first quarantine page: ${figures.listQuarantineMs} ms`,
        `machine: ${figures.cpus} CPUs shared with other work (load average ${figures.loadAverage.join(', ')}): figures are a floor`,
        '',
      ].join('\n'),
    );
  } finally {
    if (!values.dir) rmSync(work, { recursive: true, force: true });
    else say(`kept ${work}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '7' },
      dir: { type: 'string' },
      json: { type: 'boolean', default: false },
      'import-only': { type: 'string' },
      threads: { type: 'boolean', default: false },
      db: { type: 'string' },
    },
  });
  if (values['import-only']) return importOnly(values['import-only'], values.db!, values.threads);
  await run({ records: Number(values.records), days: Number(values.days), dir: values.dir, json: values.json });
}

if (process.argv[1] === SELF) await main();
