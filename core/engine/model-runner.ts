/**
 * One loaded model: its package, worker pool, micro-batcher and circuit breaker. Loading validates the package,
 * opens the graph in every worker, checks its inputs and output against the package, and warms every worker up.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  loadModelPackage,
  PackageError,
  type Applicant,
  type InputSchema,
  type ModelPackage,
} from '../contract/index.ts';
import { scoreInChunks, type ChunkedAnswer } from './chunked-scoring.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { createColumnPacker, type ColumnPacker } from './column-packer.ts';
import { EngineLoadError, ModelCallError, OverloadedError } from './errors.ts';
import { openInlineSession, type InlineSession } from './inline-session.ts';
import { MicroBatcher, type RowAnswer } from './micro-batcher.ts';
import type {
  BreakerOptions,
  EngineObserver,
  GraphOptimizationLevel,
  ModelDescription,
  ModelRef,
  ModelRole,
} from './types.ts';
import { packColumns, type CheckedColumns } from './typed-columns.ts';
import { WorkerPool, type OpenedModel, type PackedBatch } from './worker-pool.ts';

export interface RunnerSettings {
  role: ModelRole;
  dir: string;
  alias: string | null;
  /** Schema applicants were validated with (the champion's); the graph's inputs must all be fields of it. */
  schema: InputSchema | null;
  workers: number;
  intraOpThreads: number;
  graphOptimizationLevel: GraphOptimizationLevel;
  providers: string[];
  maxBatchSize: number;
  maxWaitMs: number;
  maxQueue: number;
  /** Score a lone applicant on the caller's thread (inline-session.ts). */
  inline: boolean;
  breaker: BreakerOptions;
  clock: () => number;
  observer: EngineObserver;
  log: (message: string) => void;
}

async function firstGoldenInput(pkg: ModelPackage): Promise<Applicant> {
  const lines = createInterface({ input: createReadStream(pkg.files.golden), crlfDelay: Infinity });
  let first: string | undefined;
  for await (const line of lines) {
    if (line.trim() !== '') {
      first = line;
      break;
    }
  }
  lines.close();
  let record: unknown;
  try {
    record = JSON.parse(first ?? '');
  } catch {
    throw new EngineLoadError(pkg.files.golden, 'the first line is not a JSON object with an "input" applicant');
  }
  const result = pkg.schema.validate((record as { input?: unknown } | null)?.input);
  if (!result.ok) {
    throw new EngineLoadError(pkg.files.golden, `the first applicant is invalid (${result.issues[0]!.message})`);
  }
  return result.value;
}

export class ModelRunner {
  readonly ref: ModelRef;
  private readonly breakerImpl: CircuitBreaker;
  private readonly batcher: MicroBatcher;

  private constructor(
    readonly settings: RunnerSettings,
    readonly pkg: ModelPackage,
    readonly pool: WorkerPool,
    readonly packer: ColumnPacker,
    readonly opened: OpenedModel,
    private readonly inline: InlineSession | null,
  ) {
    this.ref = Object.freeze({ name: pkg.name, version: pkg.version, alias: settings.alias });
    const { observer, role } = settings;
    this.breakerImpl = new CircuitBreaker(settings.breaker, settings.clock, (state) =>
      observer.breaker?.({ role, model: this.ref, state }),
    );
    this.batcher = new MicroBatcher({
      pool,
      packer,
      inline,
      maxBatchSize: settings.maxBatchSize,
      maxWaitMs: settings.maxWaitMs,
      onBatch: (size, queueMs, inferenceMs, stages) =>
        observer.batch?.({ role, model: this.ref, size, queueMs, inferenceMs, stages }),
      onOutcome: (ok) => (ok ? this.breakerImpl.success() : this.breakerImpl.failure()),
    });
  }

  static async load(settings: RunnerSettings): Promise<ModelRunner> {
    let pkg: ModelPackage;
    try {
      pkg = await loadModelPackage(settings.dir);
    } catch (error) {
      if (error instanceof PackageError)
        throw new EngineLoadError(error.file, error.message.slice(error.file.length + 2));
      throw error;
    }
    let runner: ModelRunner | null = null;
    const pool = new WorkerPool({
      size: settings.workers,
      modelPath: pkg.files.onnx,
      intraOpThreads: settings.intraOpThreads,
      graphOptimizationLevel: settings.graphOptimizationLevel,
      providers: settings.providers,
      log: settings.log,
      onWorkerExit: (worker, reason) =>
        runner && settings.observer.workerExit?.({ role: settings.role, model: runner.ref, worker, reason }),
      onIdle: () => runner?.batcher.workerIdle(),
    });
    try {
      let opened: OpenedModel;
      try {
        opened = await pool.open();
      } catch (error) {
        throw new EngineLoadError(pkg.files.onnx, `ONNX Runtime cannot load the model (${(error as Error).message})`);
      }
      for (const skip of opened.skipped)
        settings.log(`${pkg.name} ${pkg.version}: skipped provider ${skip.provider}: ${skip.reason}`);
      if (!opened.outputs.some((output) => output.name === pkg.output.name)) {
        const names = opened.outputs.map((output) => output.name).join(', ');
        throw new EngineLoadError(
          pkg.files.mlmodel,
          `metadata.output.name "${pkg.output.name}" is not a graph output (outputs: ${names})`,
        );
      }
      const packer = createColumnPacker(settings.schema ?? pkg.schema, opened.inputs, pkg.files.onnx);
      await pool.configure(packer.layout, pkg.output);
      let inline: InlineSession | null = null;
      if (settings.inline) {
        const opening = await openInlineSession({
          modelFile: pkg.files.onnx,
          inputs: packer.layout,
          output: pkg.output,
          provider: opened.provider,
          intraOpThreads: settings.intraOpThreads,
          graphOptimizationLevel: settings.graphOptimizationLevel,
        });
        if (typeof opening === 'string')
          settings.log(`${pkg.name} ${pkg.version}: lone applicants go to a worker: ${opening}`);
        else inline = opening;
      }
      runner = new ModelRunner(settings, pkg, pool, packer, opened, inline);
      await runner.warmUp();
      return runner;
    } catch (error) {
      await Promise.all([pool.close(), runner?.inline?.release()]);
      throw error;
    }
  }

  private async warmUp(): Promise<void> {
    const sample = await firstGoldenInput(this.pkg);
    const batch = Array.from({ length: this.settings.maxBatchSize }, () => sample);
    for (let index = 0; index < this.pool.size; index += 1) {
      try {
        await this.pool.runOn(index, this.packer.pack([sample]));
        await this.pool.runOn(index, this.packer.pack(batch));
        this.inline?.run(this.packer.pack([sample]));
      } catch (error) {
        throw new EngineLoadError(this.pkg.files.onnx, `the warm-up run failed (${(error as Error).message})`);
      }
    }
  }

  get breakerState() {
    return this.breakerImpl.state;
  }

  queueDepth(): number {
    return this.batcher.depth();
  }

  private admit(rows: number): void {
    const depth = this.batcher.depth();
    if (depth + rows > this.settings.maxQueue) throw new OverloadedError(depth, this.settings.maxQueue);
    if (!this.breakerImpl.allow()) {
      throw new ModelCallError('BREAKER_OPEN', `the circuit breaker of ${this.ref.name} ${this.ref.version} is open`);
    }
  }

  score(applicant: Applicant, deadlineMs: number, signal?: AbortSignal): Promise<RowAnswer> {
    this.admit(1);
    return this.batcher.submit(applicant, deadlineMs, signal);
  }

  /**
   * Scores a whole batch directly (no micro-batching), split across workers. Rows the model fails on are reported in
   * `failedRows`; the call fails as a whole only when every row failed, on a timeout, or with an open breaker.
   */
  scoreMany(applicants: readonly Applicant[], deadlineMs: number): Promise<ChunkedAnswer> {
    return this.scoreRows(applicants.length, (start, end) => this.packer.pack(applicants, start, end), deadlineMs);
  }

  /** `scoreMany` from checked typed columns, packed straight from them (typed-columns.ts). */
  scoreColumns(columns: CheckedColumns, deadlineMs: number): Promise<ChunkedAnswer> {
    const layout = this.packer.layout;
    return this.scoreRows(columns.rows, (start, end) => packColumns(layout, columns, start, end), deadlineMs);
  }

  private async scoreRows(
    rows: number,
    pack: (start: number, end: number) => PackedBatch,
    deadlineMs: number,
  ): Promise<ChunkedAnswer> {
    this.admit(0);
    const work = scoreInChunks(this.pool, rows, pack);
    let timer: NodeJS.Timeout | null = null;
    try {
      const answer = await (Number.isFinite(deadlineMs)
        ? Promise.race([
            work,
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () => reject(new ModelCallError('DEADLINE_EXCEEDED', `no answer within the ${deadlineMs} ms deadline`)),
                deadlineMs,
              );
            }),
          ])
        : work);
      if (answer.failedRows.length === rows && rows > 0) {
        throw new ModelCallError('MODEL_RUN_FAILED', answer.failure ?? 'the model failed to run');
      }
      this.breakerImpl.success();
      return answer;
    } catch (error) {
      work.catch(() => undefined);
      this.breakerImpl.failure();
      if (error instanceof ModelCallError) throw error;
      throw new ModelCallError('MODEL_RUN_FAILED', (error as Error).message);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  describe(): ModelDescription {
    return {
      ...this.ref,
      role: this.settings.role,
      dir: this.pkg.dir,
      kind: this.pkg.kind,
      threshold: this.pkg.threshold,
      provider: this.opened.provider,
      providersSkipped: this.opened.skipped,
      workers: this.pool.size,
      liveWorkers: this.pool.liveWorkers(),
      intraOpThreads: this.settings.intraOpThreads,
      inputs: this.opened.inputs.map((input) => input.name),
      outputs: this.opened.outputs.map((output) => output.name),
      loadMs: this.opened.loadMs,
      breaker: this.breakerImpl.state,
    };
  }

  terminateWorker(index: number): Promise<void> {
    return this.pool.terminate(index);
  }

  async close(error: Error): Promise<void> {
    this.batcher.drain(error);
    await Promise.all([this.pool.close(), this.inline?.release()]);
  }
}
