/**
 * Replay: every scored request of a stored period is scored again by a candidate model and compared with the answer
 * logged for it (or with another model's). The period streams from the store in chunks (columns read as typed
 * arrays); each chunk goes to the engine's worker pool as model-sized batches, all launched at once, and the next
 * chunk is read while the workers score this one, so reading, scoring and comparing overlap on separate cores and
 * memory holds a few chunks whatever the period's length. Progress is reported per chunk and an abort signal stops it
 * between chunks. `fromShadowLogs` compares the shadow answers production already logged.
 */
import { performance } from 'node:perf_hooks';
import type { Applicant } from '../contract/index.ts';
import { APPLICANT_COLUMNS } from '../ingest/applicant-columns.ts';
import { createEngine, type ScoringEngine } from '../engine/index.ts';
import { ArmTally } from './arms.ts';
import { applicantOf, scoreChunk, withPlaceholderId, type ChunkAnswers } from './columns.ts';
import { Comparison, comparedRows } from './comparison.ts';
import { LatencyHistogram, sampleSummary } from './latency.ts';
import type { ReplayBatch, ReplayFilter, ReplaySource } from './source.ts';
import type { LatencySummary, ReplayReport } from './types.ts';
import { verdictOf } from './verdict.ts';

export interface ReplayProgress {
  rows: number;
  total: number;
}

export interface ReplayOptions {
  source: ReplaySource;
  filter?: ReplayFilter;
  /** Folder of the registry and packages. @default 'models' */
  modelsDir?: string;
  /** The candidate: a registry alias, a version, or a package directory. */
  candidate: string;
  /** `logged` (what production answered) or another model, same forms as `candidate`. @default 'logged' */
  baseline?: string;
  /** Requests per model run. @default 4096 */
  batchSize?: number;
  /** Requests per chunk read from the store. @default 32768 */
  chunkRows?: number;
  /** Worker threads per model. @default the engine's (one per core) */
  workers?: number;
  /** Requests scored one at a time afterwards to measure per-request latency. @default 200 */
  latencyProbe?: number;
  signal?: AbortSignal;
  onProgress?(progress: ReplayProgress): void;
}

const IN_FLIGHT = 2;
const BATCH = 4096;
const CHUNK = 32_768;
const NO_DECISION = 255;

interface Pending {
  batch: ReplayBatch;
  candidate: Promise<ChunkAnswers>;
  baseline: Promise<ChunkAnswers> | null;
}

class Tallies {
  readonly comparison: Comparison;
  readonly arms = new ArmTally();
  readonly logged = new LatencyHistogram();
  readonly servedBy: Record<string, number> = {};
  requests = 0;
  candidateErrors = 0;
  constructor(fields: ReadonlyArray<{ name: string; kind: string }>) {
    this.comparison = new Comparison(fields);
  }

  /** Counts what the logs say of every request of a batch (arms, who served, logged latency). */
  noteLogged(batch: ReplayBatch): void {
    this.requests += batch.count;
    for (let i = 0; i < batch.count; i += 1) {
      this.arms.add(batch.arm[i]!, batch.refused[i]!, batch.probability[i]!, batch.servedBy[i]!, batch.inferenceMs[i]!);
      this.logged.add(batch.inferenceMs[i]!);
    }
  }
}

/** Whether the logged answer of a request is there to compare with (a decision and a probability). */
function loggedAnswered(batch: ReplayBatch, i: number): boolean {
  return batch.refused[i]! !== NO_DECISION && Number.isFinite(batch.probability[i]!);
}

async function openModel(modelsDir: string, ref: string, workers: number | undefined): Promise<ScoringEngine> {
  return createEngine({ modelsDir, champion: ref, fallback: null, ...(workers ? { workers } : {}) });
}

async function probeLatency(engine: ScoringEngine, sample: readonly Applicant[]): Promise<number[]> {
  const samples: number[] = [];
  for (const applicant of sample) {
    const started = performance.now();
    await engine.score(applicant, { deadlineMs: 10_000 });
    samples.push(performance.now() - started);
  }
  return samples;
}

function label(engine: ScoringEngine): string[] {
  const model = engine.describe().models[0]!;
  return [`${model.name}/${model.version}`];
}

function finish(
  base: Pick<ReplayReport, 'kind' | 'period' | 'candidate' | 'baseline' | 'latency' | 'labelsStored'>,
  tallies: Tallies,
  started: number,
  stages?: ReplayReport['stages'],
): ReplayReport {
  const { comparison } = tallies;
  const report = {
    ...base,
    requests: tallies.requests,
    compared: comparison.total,
    candidateErrors: tallies.candidateErrors,
    baselineServedBy: tallies.servedBy,
    flips: comparison.flips(),
    delta: comparison.delta(),
    approval: comparison.approval(),
    segments: comparison.segmentRows(),
    concentration: comparison.concentrationRows(),
    outcomes: comparison.outcomeSummary(),
    arms: tallies.arms.summaries(),
    elapsedS: (performance.now() - started) / 1000,
    ...(stages ? { stages } : {}),
    cancelled: false as const,
  };
  return { ...report, verdict: verdictOf(report) };
}

function loggedLatency(tallies: Tallies): LatencySummary {
  return {
    who: 'logged',
    p50Ms: tallies.logged.quantile(0.5),
    p99Ms: tallies.logged.quantile(0.99),
    meanMs: tallies.logged.mean(),
    rowsPerSecond: null,
    samples: tallies.logged.samples,
  };
}

export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  const started = performance.now();
  const filter = options.filter ?? {};
  const modelsDir = options.modelsDir ?? 'models';
  const baselineRef = options.baseline ?? 'logged';
  const { signal, source } = options;
  const total = source.countScored(filter);
  const candidate = await openModel(modelsDir, options.candidate, options.workers);
  let baseline: ScoringEngine | null = null;
  try {
    if (baselineRef !== 'logged') baseline = await openModel(modelsDir, baselineRef, options.workers);
    const tallies = new Tallies(candidate.schema.fields);
    const probe: Applicant[] = [];
    const probeSize = options.latencyProbe ?? 200;
    const inFlight: Pending[] = [];
    let rows = 0;
    const stages = { readS: 0, scoreWaitS: 0, compareS: 0 };
    const settle = async (pending: Pending) => {
      const waited = performance.now();
      const [scored, base] = await Promise.all([pending.candidate, pending.baseline]);
      const compared = performance.now();
      stages.scoreWaitS += (compared - waited) / 1000;
      const { batch } = pending;
      tallies.noteLogged(batch);
      const pairs = comparedRows(batch.count);
      let n = 0;
      const served = tallies.servedBy;
      for (let i = 0; i < batch.count; i += 1) {
        const who = base ? (base.answered[i] === 1 ? 'baseline model' : 'failed') : (batch.servedBy[i] ?? 'none');
        served[who] = (served[who] ?? 0) + 1;
        if (scored.answered[i] !== 1) {
          tallies.candidateErrors += 1;
          continue;
        }
        if (base ? base.answered[i] !== 1 : !loggedAnswered(batch, i)) continue;
        pairs.row[n] = i;
        pairs.candidateP[n] = scored.probability[i]!;
        pairs.candidateRefused[n] = scored.refused[i]!;
        pairs.baselineP[n] = base ? base.probability[i]! : batch.probability[i]!;
        pairs.baselineRefused[n] = base ? base.refused[i]! : batch.refused[i]!;
        n += 1;
      }
      pairs.count = n;
      tallies.comparison.addRows(batch.columns, pairs, batch.outcome);
      stages.compareS += (performance.now() - compared) / 1000;
      rows += batch.count;
      options.onProgress?.({ rows, total });
    };
    const batchSize = options.batchSize ?? BATCH;
    const scoringStarted = performance.now();
    const fields = candidate.schema.fields;
    const read = { batchSize: options.chunkRows ?? CHUNK, fields };
    const chunks = source.replayBatches(filter, read)[Symbol.iterator]();
    try {
      for (;;) {
        const reading = performance.now();
        const next = chunks.next();
        stages.readS += (performance.now() - reading) / 1000;
        if (next.done) break;
        const batch = next.value;
        signal?.throwIfAborted();
        for (let i = 0; probe.length < probeSize && i < batch.count; i += 1)
          probe.push(applicantOf(batch.columns, fields, i));
        const scored = withPlaceholderId(batch.columns, fields);
        inFlight.push({
          batch,
          candidate: scoreChunk(candidate, scored, fields, batchSize, signal),
          baseline: baseline ? scoreChunk(baseline, scored, fields, batchSize, signal) : null,
        });
        if (inFlight.length >= IN_FLIGHT) await settle(inFlight.shift()!);
      }
    } finally {
      chunks.return?.();
    }
    while (inFlight.length > 0) {
      signal?.throwIfAborted();
      await settle(inFlight.shift()!);
    }
    const scoringS = (performance.now() - scoringStarted) / 1000;
    const throughput = rows > 0 && scoringS > 0 ? rows / scoringS : null;
    const latency: LatencySummary[] = [
      {
        who: 'candidate',
        ...sampleSummary(await probeLatency(candidate, probe)),
        rowsPerSecond: throughput,
        samples: probe.length,
      },
      baseline
        ? {
            who: 'baseline',
            ...sampleSummary(await probeLatency(baseline, probe)),
            rowsPerSecond: throughput,
            samples: probe.length,
          }
        : loggedLatency(tallies),
    ];
    return finish(
      {
        kind: 'replay',
        period: { from: filter.from ?? null, to: filter.to ?? null },
        candidate: { ref: options.candidate, models: label(candidate) },
        baseline: { ref: baselineRef, models: baseline ? label(baseline) : loggedModels(tallies) },
        latency,
        labelsStored: source.countLabels(),
      },
      tallies,
      started,
      stages,
    );
  } finally {
    await Promise.all([candidate.close(), baseline?.close()]);
  }
}

function loggedModels(tallies: Tallies): string[] {
  return Object.keys(tallies.servedBy).sort();
}

export interface ShadowLogOptions {
  source: ReplaySource;
  filter?: ReplayFilter;
  /** Fields compared between flipped and unflipped requests. @default the contract's applicant fields */
  fields?: ReadonlyArray<{ name: string; kind: string }>;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?(progress: ReplayProgress): void;
}

/** Compares the shadow answers production logged with the answers it served, over a stored period. */
export function fromShadowLogs(options: ShadowLogOptions): ReplayReport {
  const started = performance.now();
  const filter = options.filter ?? {};
  const total = options.source.countScored(filter);
  const tallies = new Tallies(options.fields ?? APPLICANT_COLUMNS);
  const shadowLatency = new LatencyHistogram();
  const models = new Set<string>();
  let rows = 0;
  for (const batch of options.source.replayBatches(filter, {
    batchSize: options.batchSize ?? CHUNK,
    withShadow: true,
  })) {
    options.signal?.throwIfAborted();
    tallies.noteLogged(batch);
    const shadow = batch.shadow!;
    const pairs = comparedRows(batch.count);
    for (let i = 0; i < batch.count; i += 1) {
      const who = batch.servedBy[i] ?? 'none';
      if (shadow.model[i] === null) continue;
      models.add(shadow.model[i]!);
      tallies.servedBy[who] = (tallies.servedBy[who] ?? 0) + 1;
      const refused = shadow.refused[i]!;
      if (shadow.error[i] !== null || refused === NO_DECISION || !Number.isFinite(shadow.probability[i]!)) {
        tallies.candidateErrors += 1;
        continue;
      }
      shadowLatency.add(shadow.latencyMs[i]!);
      if (!loggedAnswered(batch, i)) continue;
      const k = pairs.count++;
      pairs.row[k] = i;
      pairs.candidateP[k] = shadow.probability[i]!;
      pairs.candidateRefused[k] = refused;
      pairs.baselineP[k] = batch.probability[i]!;
      pairs.baselineRefused[k] = batch.refused[i]!;
    }
    tallies.comparison.addRows(batch.columns, pairs, batch.outcome);
    rows += batch.count;
    options.onProgress?.({ rows, total });
  }
  const latency: LatencySummary[] = [
    {
      who: 'candidate',
      p50Ms: shadowLatency.quantile(0.5),
      p99Ms: shadowLatency.quantile(0.99),
      meanMs: shadowLatency.mean(),
      rowsPerSecond: null,
      samples: shadowLatency.samples,
    },
    loggedLatency(tallies),
  ];
  return finish(
    {
      kind: 'shadow',
      period: { from: filter.from ?? null, to: filter.to ?? null },
      candidate: { ref: 'shadow', models: [...models].sort() },
      baseline: { ref: 'logged', models: loggedModels(tallies) },
      latency,
      labelsStored: options.source.countLabels(),
    },
    tallies,
    started,
  );
}
