/**
 * Writes the log files of a range of days of a traffic plan: `predictions-<replica>-<UTC day>.jsonl`, gzipped for
 * closed days (every day of the period but the last), as the API's writer leaves them.
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { TransformOptions, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, type ZlibOptions } from 'node:zlib';
import {
  formatLogLine,
  logFileName,
  LOG_STATUSES,
  type InputSchema,
  type LogRecord,
  type LogStatus,
} from '../contract/index.ts';
import type { SimulatedOutcome } from './outcomes.ts';
import { generateTrafficDays, type TrafficPlan } from './traffic.ts';
import { WriteSink } from './write-sink.ts';

/**
 * Level 1: simulated logs favour speed (several times faster than zlib's default 6, files about a fifth larger);
 * readers do not depend on the level. A deep input buffer lets compression (on libuv's thread pool) overlap with
 * generating the next records. zlib streams accept the Transform options, which their types omit.
 */
const GZIP_OPTIONS: ZlibOptions & TransformOptions = { level: 1, writableHighWaterMark: 4 * 1024 * 1024 };

export interface TrafficFile {
  name: string;
  replica: string;
  day: string;
  records: number;
}

export interface DaysJob {
  plan: TrafficPlan;
  schema: InputSchema;
  dir: string;
  gzip: boolean;
  fromDay: number;
  toDay: number;
  /** Also write the outcomes of these days (CSV rows, no header) to this file. */
  outcomesFile?: string;
  /** Re-scores the generated records (same order, one out per one in) before they are written. */
  rescore?: (records: Iterable<LogRecord>) => AsyncIterable<LogRecord>;
}

export interface DaysResult {
  files: TrafficFile[];
  statuses: Record<LogStatus, number>;
  outcomes: number;
}

export function emptyStatuses(): Record<LogStatus, number> {
  return Object.fromEntries(LOG_STATUSES.map((status) => [status, 0])) as Record<LogStatus, number>;
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

function outcomeTarget(job: DaysJob): TrafficFile {
  return { name: path.basename(job.outcomesFile!), replica: '', day: '', records: 0 };
}

/** Writes days [fromDay, toDay); `onRecords(n)` reports every `progressEvery` records written. */
export async function writeTrafficDays(
  job: DaysJob,
  onRecords?: (count: number) => void,
  progressEvery = 50_000,
): Promise<DaysResult> {
  const { plan, gzip } = job;
  const lastDay = new Date(plan.endMs - 1).toISOString().slice(0, 10);
  const statuses = emptyStatuses();
  const files: TrafficFile[] = [];
  const open = new Map<string, OpenFile>();
  let written = 0;
  let outcomes = 0;
  const outcomeFile = job.outcomesFile ? openLogFile(path.dirname(job.outcomesFile), outcomeTarget(job), false) : null;
  let outcomeFlush = false;
  const onOutcome = outcomeFile
    ? (outcome: SimulatedOutcome) => {
        outcomes += 1;
        if (outcomeFile.sink.append(`${outcome.request_id},${outcome.TARGET},${outcome.observed_at}\n`)) {
          outcomeFlush = true;
        }
      }
    : undefined;
  try {
    const generated = generateTrafficDays(plan, job.schema, job.fromDay, job.toDay, onOutcome);
    for await (const record of job.rescore ? job.rescore(generated) : generated) {
      if (outcomeFlush) {
        outcomeFlush = false;
        await outcomeFile!.sink.flush();
      }
      const day = record.ts.slice(0, 10);
      let current = open.get(record.replica);
      if (current?.file.day !== day) {
        if (current) await closeLogFile(current);
        const compress = gzip && day !== lastDay;
        const name = `${logFileName(record.replica, day)}${compress ? '.gz' : ''}`;
        const file: TrafficFile = { name, replica: record.replica, day, records: 0 };
        files.push(file);
        current = openLogFile(job.dir, file, compress);
        open.set(record.replica, current);
      }
      if (current.sink.append(formatLogLine(record))) await current.sink.flush();
      current.file.records += 1;
      statuses[record.status] += 1;
      written += 1;
      if (onRecords && written % progressEvery === 0) onRecords(progressEvery);
    }
    for (const current of open.values()) await closeLogFile(current);
    if (outcomeFile) await closeLogFile(outcomeFile);
  } finally {
    for (const current of open.values()) current.sink.destroy();
    outcomeFile?.sink.destroy();
  }
  if (onRecords && written % progressEvery !== 0) onRecords(written % progressEvery);
  return { files, statuses, outcomes };
}
