/**
 * Writes simulated traffic as the API's log folder (see traffic-day-writer.ts) and a `manifest.json` saying what was
 * simulated. Days are independent, so with `workers` > 1 ranges of days are written by worker threads in parallel;
 * the files are byte-identical either way.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import type { LogStatus } from '../contract/index.ts';
import { spawnWorker } from '../runtime/index.ts';
import { OUTCOME_LAG, OUTCOME_NEVER_SHARE } from './outcomes.ts';
import { type ResolvedInjection } from './scenarios.ts';
import { scoredNote, type TrafficModelRef, type TrafficScoring } from './score-traffic.ts';
import { STAND_IN_FORMULA, STAND_IN_NOTE } from './stand-in-score.ts';
import { planTraffic, type TrafficOptions, type TrafficPlan } from './traffic.ts';
import { emptyStatuses, writeTrafficDays, type DaysResult, type TrafficFile } from './traffic-day-writer.ts';
import type { WorkerJob, WorkerMessage } from './traffic-worker.ts';

export type { TrafficFile } from './traffic-day-writer.ts';

export const MANIFEST_FILE = 'manifest.json';
/** The outcomes of the answered requests (CONTRACT.md section 3b), CSV so that `vigie ingest <folder>` skips it. */
export const OUTCOMES_FILE = 'outcomes.csv';
const OUTCOMES_HEADER = 'request_id,TARGET,observed_at\n';

export interface WriteTrafficOptions extends TrafficOptions {
  /** The folder to write into (created when missing). */
  dir: string;
  /** Gzip the files of closed days (all but the last day), as the API does. @default true */
  gzip?: boolean;
  /**
   * Worker threads writing ranges of days in parallel (at most one per day); 1 writes in this thread. Ignored with
   * `score`: the engine lives in this thread, so the days are written here. @default 1
   */
  workers?: number;
  /** Writes the probabilities of a real model instead of the stand-in's (see `engineScoring`). */
  score?: TrafficScoring;
  /** Called every `progressEvery` records or so with the number written so far. */
  onProgress?: (written: number) => void;
  /** @default 50000 */
  progressEvery?: number;
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
  /** The stand-in note, or `scored by <name> version <v> (alias <a>)` with `score`. */
  probabilities: string;
  /** Without `score` only. */
  stand_in_formula?: string;
  /** With `score` only: the model whose answers the records carry. */
  model?: TrafficModelRef;
  /** With `score` and a fallback scorer only: the model whose answers the simulated fallback answers carry. */
  fallback_model?: TrafficModelRef;
  statuses: Record<LogStatus, number>;
  files: TrafficFile[];
  /** The outcomes file: rows written, and how the lag was drawn. */
  outcomes: { file: string; records: number; never_share: number; lag: string };
}

/** Splits days [0, days) into `parts` contiguous ranges of nearly equal length. */
function dayRanges(days: number, parts: number): Array<[number, number]> {
  return Array.from({ length: parts }, (_, i) => [
    Math.round((i * days) / parts),
    Math.round(((i + 1) * days) / parts),
  ]);
}

function runWorker(job: WorkerJob, onRecords: (count: number) => void): { done: Promise<DaysResult>; stop(): void } {
  const worker = spawnWorker(new URL('./traffic-worker.ts', import.meta.url), { workerData: job });
  const done = new Promise<DaysResult>((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onRecords(message.count);
      else if (message.type === 'done') resolve(message.result);
      else reject(new Error(message.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a traffic worker stopped (exit code ${code})`)));
  });
  return { done, stop: () => void worker.terminate() };
}

async function writeInWorkers(
  plan: TrafficPlan,
  options: WriteTrafficOptions,
  workers: number,
  onRecords: (count: number) => void,
): Promise<DaysResult[]> {
  const base = {
    plan,
    outcomesFile: undefined as string | undefined,
    schemaDocument: options.schema.document,
    dir: options.dir,
    gzip: options.gzip ?? true,
    progressEvery: Math.max(1_000, Math.floor((options.progressEvery ?? 50_000) / workers)),
  };
  const running = dayRanges(plan.days, workers).map(([fromDay, toDay]) =>
    runWorker({ ...base, fromDay, toDay, outcomesFile: partFile(options.dir, fromDay) }, onRecords),
  );
  try {
    return await Promise.all(running.map((worker) => worker.done));
  } finally {
    for (const worker of running) worker.stop();
  }
}

const partFile = (dir: string, fromDay: number) => path.join(dir, `.outcomes-${fromDay}.csv.part`);

/** Joins the day ranges' outcome parts, in day order, under one header. */
async function joinOutcomeParts(dir: string, fromDays: number[]): Promise<void> {
  const target = path.join(dir, OUTCOMES_FILE);
  await writeFile(target, OUTCOMES_HEADER);
  for (const fromDay of fromDays) {
    const part = partFile(dir, fromDay);
    await pipeline(createReadStream(part), createWriteStream(target, { flags: 'a' }));
    await rm(part);
  }
}

/** Writes the traffic files and the manifest; resolves to the manifest. */
export async function writeTrafficFiles(options: WriteTrafficOptions): Promise<TrafficManifest> {
  const plan = planTraffic(options);
  const gzip = options.gzip ?? true;
  const workers = options.score ? 1 : Math.min(Math.max(1, Math.floor(options.workers ?? 1)), plan.days);
  const progressEvery = options.progressEvery ?? 50_000;
  await mkdir(options.dir, { recursive: true });

  let written = 0;
  let reported = 0;
  const onRecords = (count: number) => {
    written += count;
    if (options.onProgress && written - reported >= progressEvery) {
      reported = written;
      options.onProgress(written);
    }
  };
  const results =
    workers === 1
      ? [
          await writeTrafficDays(
            {
              plan,
              schema: options.schema,
              dir: options.dir,
              gzip,
              fromDay: 0,
              toDay: plan.days,
              outcomesFile: partFile(options.dir, 0),
              ...(options.score && { rescore: options.score.rescore }),
            },
            onRecords,
            progressEvery,
          ),
        ]
      : await writeInWorkers(plan, options, workers, onRecords);

  await joinOutcomeParts(options.dir, workers === 1 ? [0] : dayRanges(plan.days, workers).map(([from]) => from));
  const statuses = emptyStatuses();
  for (const result of results) {
    for (const [status, count] of Object.entries(result.statuses)) statuses[status as LogStatus] += count;
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
    ...(options.score
      ? {
          probabilities: scoredNote(options.score.model, options.score.fallback),
          model: { ...options.score.model },
          ...(options.score.fallback && { fallback_model: { ...options.score.fallback } }),
        }
      : { probabilities: STAND_IN_NOTE, stand_in_formula: STAND_IN_FORMULA }),
    statuses,
    files: results.flatMap((result) => result.files),
    outcomes: {
      file: OUTCOMES_FILE,
      records: results.reduce((sum, result) => sum + result.outcomes, 0),
      never_share: OUTCOME_NEVER_SHARE,
      lag: OUTCOME_LAG,
    },
  };
  await writeFile(path.join(options.dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
