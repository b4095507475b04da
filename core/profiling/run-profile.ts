/**
 * A profiling run: every variant × execution provider × worker count × batch size, each cell on a freshly loaded
 * engine whose parity with the package's golden applicants is checked before anything is timed. A provider that does
 * not start is reported with its reason on its rows; the engine's CPU fallback is never measured in its place.
 * Cancelling (the signal) stops at the next measurement and returns nothing: callers save only finished runs.
 */
import {
  createEngine,
  EngineLoadError,
  type BatchEvent,
  type GraphOptimizationLevel,
  type ScoringEngine,
} from '../engine/index.ts';
import { resolveModel } from '../registry/index.ts';
import { measureAccuracy, readLabelledSample } from './accuracy.ts';
import { costPer1000 } from './cost.ts';
import { checkParity, readGolden } from './golden.ts';
import { machineInfo } from './machine.ts';
import { measureBatches, measureSingles, round, throwIfAborted } from './measure.ts';
import { GPU_PROVIDERS, listProviders } from './providers.ts';
import {
  DEFAULT_PRICES,
  type CellAccuracy,
  type ProfileProgress,
  type ProfileRequest,
  type ProfileResult,
  type ProfileRow,
  type StageSplit,
} from './types.ts';

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?(progress: ProfileProgress): void;
}

interface Cell {
  ref: string;
  provider: string;
  workers: number;
  level: GraphOptimizationLevel;
}

function emptyRow(cell: Cell, batchSize: number, status: string): ProfileRow {
  return {
    model: '',
    ref: cell.ref,
    version: '',
    kind: '',
    provider: cell.provider,
    workers: cell.workers,
    intra_op_threads: 0,
    graph_optimization: cell.level,
    batch_size: batchSize,
    status,
    rows_per_s: null,
    rows_per_cpu_s: null,
    p50_ms: null,
    p95_ms: null,
    p99_ms: null,
    calls: 0,
    load_ms: null,
    warmup_ms: null,
    rss_mb: null,
    parity_max_abs_diff: null,
    parity_rows: 0,
    cost_per_1000: null,
  };
}

function meanStages(
  events: BatchEvent[],
): Omit<StageSplit, 'model' | 'version' | 'provider' | 'workers' | 'graph_optimization'> {
  const timed = events.filter((event) => event.stages);
  const mean = (pick: (event: BatchEvent) => number) =>
    round(timed.reduce((sum, event) => sum + pick(event), 0) / Math.max(timed.length, 1), 4);
  return {
    batches: timed.length,
    mean_batch: round(timed.reduce((sum, event) => sum + event.size, 0) / Math.max(timed.length, 1), 1),
    queue_ms: mean((event) => event.stages!.queueMs),
    pack_ms: mean((event) => event.stages!.packMs),
    transfer_ms: mean((event) => event.stages!.transferMs),
    inference_ms: mean((event) => event.stages!.inferenceMs),
    return_ms: mean((event) => event.stages!.returnMs),
  };
}

/** onnxruntime's messages start with a source path and an assertion; people need the sentence after it. */
function plainReason(reason: string): string {
  return reason.replace(/^.*? was false\. /, '');
}

async function closeQuietly(engine: ScoringEngine | null): Promise<void> {
  await engine?.close().catch(() => undefined);
}

export async function runProfile(request: ProfileRequest, options: RunOptions = {}): Promise<ProfileResult> {
  const { signal } = options;
  const prices = request.prices ?? DEFAULT_PRICES;
  const seconds = request.durationS ?? 1;
  // A reference that names nothing is the user's mistake, reported before anything is measured.
  for (const ref of request.models) await resolveModel(request.modelsDir, ref);
  const offered = new Set(listProviders().flatMap((info) => (info.offered ? [info.name] : [])));
  const levels = request.graphOptimizationLevels ?? ['all'];
  const cells: Cell[] = request.models.flatMap((ref) =>
    request.providers.flatMap((provider) =>
      request.workers.flatMap((workers) => levels.map((level) => ({ ref, provider, workers, level }))),
    ),
  );
  const steps = cells.length * (request.batchSizes.length + 2);
  let done = 0;
  const step = (message: string) => {
    done += 1;
    options.onProgress?.({
      fraction: Math.min(1, done / steps),
      message,
      cellsDone: done,
      cellsTotal: steps,
    });
  };
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const rows: ProfileRow[] = [];
  const stages: StageSplit[] = [];
  const accuracy: CellAccuracy[] = [];
  const events: BatchEvent[] = [];

  for (const cell of cells) {
    throwIfAborted(signal);
    const label = `${cell.ref} on ${cell.provider}, ${cell.workers} worker${cell.workers === 1 ? '' : 's'}, ${cell.level} graph optimisation`;
    if (!offered.has(cell.provider)) {
      const reason = `not available: this onnxruntime-node build (${process.platform}/${process.arch}) does not offer ${cell.provider}`;
      rows.push(...request.batchSizes.map((size) => emptyRow(cell, size, reason)));
      done += request.batchSizes.length + 1;
      step(`${label}: ${reason}`);
      continue;
    }
    let engine: ScoringEngine | null = null;
    try {
      const loadStart = performance.now();
      try {
        engine = await createEngine({
          modelsDir: request.modelsDir,
          champion: cell.ref,
          fallback: null,
          providers: [cell.provider],
          workers: cell.workers,
          intraOpThreads: request.intraOpThreads,
          graphOptimizationLevel: cell.level,
          deadlineMs: 120_000,
          maxQueue: 1_000_000,
          observer: { batch: (event) => events.push(event) },
        });
      } catch (error) {
        if (!(error instanceof EngineLoadError)) throw error;
        const reason = `could not load: ${error.message}`;
        rows.push(...request.batchSizes.map((size) => emptyRow(cell, size, reason)));
        done += request.batchSizes.length + 1;
        step(`${label}: ${reason}`);
        continue;
      }
      const startupMs = performance.now() - loadStart;
      const model = engine.describe().models[0]!;
      const base = {
        ...emptyRow(cell, 0, 'ok'),
        model: model.name,
        version: model.version,
        kind: model.kind,
        intra_op_threads: model.intraOpThreads,
      };
      if (model.provider !== cell.provider) {
        const skip = model.providersSkipped.find((item) => item.provider === cell.provider);
        const reason = `did not start: ${plainReason(skip?.reason ?? 'the engine chose another provider')}`;
        rows.push(...request.batchSizes.map((size) => ({ ...base, batch_size: size, status: reason })));
        done += request.batchSizes.length + 1;
        step(`${label}: ${reason}`);
        continue;
      }
      const golden = await readGolden(model.dir, engine.schema);
      const parity = await checkParity(engine, golden);
      // Without a labelled sample the accuracy check is left out (the report says so), the timings still count.
      const sample = await readLabelledSample(model.dir, engine).catch(() => null);
      if (sample) {
        const figures = await measureAccuracy(engine, sample);
        const where = { ref: cell.ref, version: model.version, provider: cell.provider, workers: model.workers };
        accuracy.push({ ...where, graph_optimization: cell.level, ...figures });
      }
      step(`${label}: loaded in ${Math.round(startupMs)} ms, parity ${parity.maxAbsDiff.toExponential(2)}`);
      const largest = Math.max(...request.batchSizes);
      const pool = Array.from(
        { length: Math.max(largest * 2, 1000) },
        (_, i) => golden.applicants[i % golden.applicants.length]!,
      );
      for (const size of request.batchSizes) {
        throwIfAborted(signal);
        const figures = await measureBatches(engine, pool, size, seconds, model.workers, signal);
        const gpu = GPU_PROVIDERS.has(cell.provider) ? figures.wallSecondsPerRow : 0;
        rows.push({
          ...base,
          batch_size: size,
          rows_per_s: figures.rowsPerS,
          rows_per_cpu_s: figures.rowsPerCpuS,
          p50_ms: figures.p50,
          p95_ms: figures.p95,
          p99_ms: figures.p99,
          calls: figures.calls,
          load_ms: round(model.loadMs, 1),
          warmup_ms: round(Math.max(0, startupMs - model.loadMs), 1),
          rss_mb: round(process.memoryUsage().rss / 2 ** 20, 1),
          parity_max_abs_diff: parity.maxAbsDiff,
          parity_rows: parity.rows,
          // Fractions of a cent: keep four significant digits, not a fixed number of decimals.
          cost_per_1000: Number(
            costPer1000(
              { cpuSecondsPerPrediction: figures.cpuSecondsPerRow, gpuSecondsPerPrediction: gpu },
              prices,
            ).toPrecision(4),
          ),
        });
        step(`${label}, batch ${size}: ${figures.rowsPerS.toLocaleString('en')} rows/s`);
      }
      const batches = await measureSingles(engine, pool, Math.min(seconds, 1), events, signal);
      stages.push({
        model: model.name,
        version: model.version,
        provider: cell.provider,
        workers: model.workers,
        graph_optimization: cell.level,
        ...meanStages(batches),
      });
      step(`${label}: stage split measured`);
    } finally {
      await closeQuietly(engine);
    }
  }
  const { modelsDir: _modelsDir, ...asked } = request;
  return { machine, request: asked, prices, startedAt, finishedAt: new Date().toISOString(), rows, stages, accuracy };
}
