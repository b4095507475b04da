/**
 * Writes simulated traffic as the API's log folder: `predictions-<replica>-<UTC day>.jsonl`, every day but the last
 * gzipped (closed files, as the API's writer leaves them), and a `manifest.json` saying what was simulated.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TransformOptions, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, type ZlibOptions } from 'node:zlib';
import { formatLogLine, logFileName, LOG_STATUSES, type LogStatus } from '../contract/index.ts';
import { type ResolvedInjection } from './scenarios.ts';
import { STAND_IN_FORMULA, STAND_IN_NOTE } from './stand-in-score.ts';
import { generateTraffic, planTraffic, type TrafficOptions } from './traffic.ts';
import { WriteSink } from './write-sink.ts';

export const MANIFEST_FILE = 'manifest.json';
/**
 * Level 1: simulated logs favour speed (several times faster than zlib's default 6, files about a fifth larger);
 * readers do not depend on the level. A deep input buffer lets compression (on libuv's thread pool) overlap with
 * generating the next records. zlib streams accept the Transform options, which their types omit.
 */
const GZIP_OPTIONS: ZlibOptions & TransformOptions = { level: 1, writableHighWaterMark: 4 * 1024 * 1024 };

export interface WriteTrafficOptions extends TrafficOptions {
  /** The folder to write into (created when missing). */
  dir: string;
  /** Gzip the files of closed days (all but the last day), as the API does. @default true */
  gzip?: boolean;
  /** Called every `progressEvery` records with the number written so far. */
  onProgress?: (written: number) => void;
  /** @default 50000 */
  progressEvery?: number;
}

export interface TrafficFile {
  name: string;
  replica: string;
  day: string;
  records: number;
}

/** The content of `manifest.json`. */
export interface TrafficManifest {
  generator: 'vigie simulate traffic';
  scenario: string;
  description: string;
  seed: number;
  days: number;
  rows: number;
  replicas: number;
  start: string;
  end: string;
  gzip: boolean;
  injections: ResolvedInjection[];
  probabilities: typeof STAND_IN_NOTE;
  stand_in_formula: string;
  statuses: Record<LogStatus, number>;
  files: TrafficFile[];
}

interface OpenFile {
  file: TrafficFile;
  sink: WriteSink;
  closed: Promise<void>;
}

function openLogFile(dir: string, file: TrafficFile, gzip: boolean): OpenFile {
  const target = createWriteStream(path.join(dir, file.name));
  let head: Writable = target;
  let closed: Promise<void>;
  if (gzip) {
    const compressor = createGzip(GZIP_OPTIONS);
    head = compressor;
    closed = pipeline(compressor, target);
  } else {
    closed = new Promise((resolve, reject) => {
      target.once('close', resolve);
      target.once('error', reject);
    });
  }
  // Awaited when the file is closed; this only keeps an early failure from being reported as unhandled.
  closed.catch(() => undefined);
  return { file, sink: new WriteSink(head), closed };
}

async function closeLogFile(open: OpenFile): Promise<void> {
  await open.sink.end();
  await open.closed;
}

/** Writes the traffic files and the manifest; resolves to the manifest. */
export async function writeTrafficFiles(options: WriteTrafficOptions): Promise<TrafficManifest> {
  const plan = planTraffic(options);
  const gzip = options.gzip ?? true;
  const lastDay = new Date(plan.endMs - 1).toISOString().slice(0, 10);
  const progressEvery = options.progressEvery ?? 50_000;
  await mkdir(options.dir, { recursive: true });

  const statuses = Object.fromEntries(LOG_STATUSES.map((status) => [status, 0])) as Record<LogStatus, number>;
  const files: TrafficFile[] = [];
  const open = new Map<string, OpenFile>();
  let written = 0;
  try {
    for (const record of generateTraffic(options)) {
      const day = record.ts.slice(0, 10);
      let current = open.get(record.replica);
      if (current?.file.day !== day) {
        if (current) await closeLogFile(current);
        const compress = gzip && day !== lastDay;
        const name = `${logFileName(record.replica, day)}${compress ? '.gz' : ''}`;
        const file: TrafficFile = { name, replica: record.replica, day, records: 0 };
        files.push(file);
        current = openLogFile(options.dir, file, compress);
        open.set(record.replica, current);
      }
      if (current.sink.append(formatLogLine(record))) await current.sink.flush();
      current.file.records += 1;
      statuses[record.status] += 1;
      written += 1;
      if (options.onProgress && written % progressEvery === 0) options.onProgress(written);
    }
    for (const current of open.values()) await closeLogFile(current);
  } finally {
    for (const current of open.values()) current.sink.destroy();
  }

  const manifest: TrafficManifest = {
    generator: 'vigie simulate traffic',
    scenario: plan.scenario.name,
    description: plan.scenario.description,
    seed: plan.seed,
    days: plan.days,
    rows: plan.rows,
    replicas: plan.replicas,
    start: new Date(plan.startMs).toISOString(),
    end: new Date(plan.endMs).toISOString(),
    gzip,
    injections: plan.scenario.injections,
    probabilities: STAND_IN_NOTE,
    stand_in_formula: STAND_IN_FORMULA,
    statuses,
    files,
  };
  await writeFile(path.join(options.dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
