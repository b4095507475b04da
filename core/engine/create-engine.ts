/**
 * Builds a scoring engine: loads the champion (and the fallback), then answers through the fallback chain
 * champion → fallback model → conservative rule. Every answer says who served it and whether it is degraded.
 */
import { LRUCache } from 'lru-cache';
import type { Applicant } from '../contract/index.ts';
import {
  readRegistry,
  pickModel,
  resolveModel,
  RegistryError,
  versionOf,
  type ResolvedModel,
} from '../registry/index.ts';
import { RULE_MODEL, RULE_THRESHOLD, ruleProbability } from './conservative-rule.ts';
import { resolveEngineConfig, type EngineConfig } from './engine-config.ts';
import { EngineClosedError, EngineLoadError, OverloadedError } from './errors.ts';
import { ModelRunner } from './model-runner.ts';
import { scoreColumnsThroughChain } from './column-scoring.ts';
import type { ScoringColumns } from './typed-columns.ts';
import type {
  ColumnScores,
  EngineOptions,
  EngineStats,
  ModelRole,
  ScoreOptions,
  ScoreResult,
  ScoringEngine,
  ServedBy,
} from './types.ts';

type CachedAnswer = Pick<ScoreResult, 'probability' | 'decision' | 'threshold' | 'model'>;

async function resolveOrFail(config: EngineConfig, ref: string): Promise<ResolvedModel> {
  try {
    return await resolveModel(config.modelsDir, ref);
  } catch (error) {
    if (error instanceof RegistryError)
      throw new EngineLoadError(error.file ?? ref, error.message.replace(`${error.file}: `, ''));
    throw error;
  }
}

/** The fallback to load: the option when given, else the registry's `fallback` alias when it has one. */
async function fallbackRef(config: EngineConfig, champion: ResolvedModel): Promise<string | null> {
  if (config.fallback !== undefined) return config.fallback;
  if (champion.name === null) return null;
  try {
    const { model } = pickModel(await readRegistry(config.modelsDir), `${champion.name}/fallback`);
    return versionOf(model, 'fallback') ? `${champion.name}/fallback` : null;
  } catch {
    return null;
  }
}

function decide(probability: number, threshold: number): 'approve' | 'refuse' {
  return probability >= threshold ? 'refuse' : 'approve';
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Loads, checks and warms the models; throws EngineLoadError naming the file and the cause. */
export async function createEngine(options: EngineOptions = {}): Promise<ScoringEngine> {
  const config = resolveEngineConfig(options);
  const settings = (role: ModelRole, resolved: ResolvedModel, champion: ModelRunner | null) => ({
    role,
    dir: resolved.dir,
    alias: resolved.alias,
    schema: champion ? champion.pkg.schema : null,
    workers: role === 'champion' ? config.workers : 1,
    intraOpThreads: role === 'champion' ? config.intraOpThreads : 1,
    graphOptimizationLevel: config.graphOptimizationLevel,
    providers: config.providers,
    maxBatchSize: config.maxBatchSize,
    maxWaitMs: config.maxWaitMs,
    maxQueue: config.maxQueue,
    inline: role === 'champion' && config.loneApplicantsInline,
    breaker: config.breaker,
    clock: config.clock,
    observer: config.observer,
    log: config.log,
  });
  const championRef = await resolveOrFail(config, config.champion);
  const champion = await ModelRunner.load(settings('champion', championRef, null));
  let fallback: ModelRunner | null = null;
  try {
    const ref = await fallbackRef(config, championRef);
    if (ref !== null)
      fallback = await ModelRunner.load(settings('fallback', await resolveOrFail(config, ref), champion));
  } catch (error) {
    await champion.close(new EngineClosedError());
    throw error;
  }
  return new Engine(config, champion, fallback);
}

class Engine implements ScoringEngine {
  private closed = false;
  private readonly cache: LRUCache<string, CachedAnswer> | null;
  private readonly counters: EngineStats = {
    served: { champion: 0, fallback: 0, rules: 0 },
    cache: { hits: 0, misses: 0, size: 0 },
    workerRestarts: 0,
  };
  private readonly keyFields: string[];

  constructor(
    private readonly config: EngineConfig,
    private readonly champion: ModelRunner,
    private readonly fallback: ModelRunner | null,
  ) {
    this.cache = config.cacheSize > 0 ? new LRUCache({ max: config.cacheSize }) : null;
    // The score depends only on what the graph reads, so identical inputs with another SK_ID_CURR share an entry.
    this.keyFields = champion.packer.layout.map((input) => input.name);
  }

  get ready(): boolean {
    return !this.closed;
  }

  get schema() {
    return this.champion.pkg.schema;
  }

  private cacheKey(applicant: Applicant): string {
    return JSON.stringify(this.keyFields.map((field) => applicant[field] ?? null));
  }

  private fromModel(
    runner: ModelRunner,
    servedBy: ServedBy,
    probability: number,
    reason: string | undefined,
    latency: ScoreResult['latency'] = { queue_ms: 0, inference_ms: 0 },
  ) {
    const threshold = runner.pkg.threshold;
    const result: ScoreResult = {
      probability,
      decision: decide(probability, threshold),
      threshold,
      model: runner.ref,
      served_by: servedBy,
      degraded: servedBy !== 'champion',
      cache_hit: false,
      latency,
    };
    if (reason !== undefined) result.reason = reason;
    return result;
  }

  private fromRule(applicant: Applicant, reason: string): ScoreResult {
    const probability = ruleProbability(applicant);
    return {
      probability,
      decision: decide(probability, RULE_THRESHOLD),
      threshold: RULE_THRESHOLD,
      model: RULE_MODEL,
      served_by: 'rules',
      degraded: true,
      cache_hit: false,
      reason,
      latency: { queue_ms: 0, inference_ms: 0 },
    };
  }

  private noteFallback(from: ServedBy, to: ServedBy, reason: string): void {
    this.config.observer.fallback?.({ from, to, reason });
  }

  private checkOpen(signal?: AbortSignal): void {
    if (this.closed) throw new EngineClosedError();
    signal?.throwIfAborted();
  }

  /** Errors that end the call instead of falling back: shedding load and the caller's own cancellation. */
  private isFinal(error: unknown, signal?: AbortSignal): boolean {
    if (this.closed) throw new EngineClosedError();
    return error instanceof OverloadedError || error instanceof EngineClosedError || signal?.aborted === true;
  }

  async score(applicant: Applicant, options: ScoreOptions = {}): Promise<ScoreResult> {
    this.checkOpen(options.signal);
    const deadline = options.deadlineMs ?? this.config.deadlineMs;
    let key: string | null = null;
    if (this.cache) {
      key = this.cacheKey(applicant);
      const cached = this.cache.get(key);
      this.config.observer.cache?.(cached !== undefined);
      if (cached) {
        this.counters.cache.hits += 1;
        this.counters.served.champion += 1;
        return {
          ...cached,
          served_by: 'champion',
          degraded: false,
          cache_hit: true,
          latency: { queue_ms: 0, inference_ms: 0 },
        };
      }
      this.counters.cache.misses += 1;
    }
    let reason: string;
    try {
      const answer = await this.champion.score(applicant, deadline, options.signal);
      const result = this.fromModel(this.champion, 'champion', answer.probability, undefined, {
        queue_ms: answer.queueMs,
        inference_ms: answer.inferenceMs,
      });
      if (key !== null) {
        const { probability, decision, threshold, model } = result;
        this.cache!.set(key, { probability, decision, threshold, model });
      }
      this.counters.served.champion += 1;
      return result;
    } catch (error) {
      if (this.isFinal(error, options.signal)) throw error;
      reason = `champion: ${describeFailure(error)}`;
    }
    if (this.fallback) {
      this.noteFallback('champion', 'fallback', reason);
      try {
        const answer = await this.fallback.score(applicant, deadline, options.signal);
        const result = this.fromModel(this.fallback, 'fallback', answer.probability, reason, {
          queue_ms: answer.queueMs,
          inference_ms: answer.inferenceMs,
        });
        this.counters.served.fallback += 1;
        return result;
      } catch (error) {
        if (this.isFinal(error, options.signal) && !(error instanceof OverloadedError)) throw error;
        reason = `${reason}; fallback: ${describeFailure(error)}`;
      }
    }
    this.noteFallback(this.fallback ? 'fallback' : 'champion', 'rules', reason);
    this.counters.served.rules += 1;
    return this.fromRule(applicant, reason);
  }

  async scoreMany(applicants: readonly Applicant[], options: ScoreOptions = {}): Promise<ScoreResult[]> {
    this.checkOpen(options.signal);
    const results = new Array<ScoreResult>(applicants.length);
    const deadline = options.deadlineMs ?? Number.POSITIVE_INFINITY;
    // Rows still without an answer, as indexes into `applicants`; each link of the chain answers what it can.
    let pending = applicants.map((_, i) => i);
    let reason: string | undefined;
    const links = [
      [this.champion, 'champion'],
      [this.fallback, 'fallback'],
    ] as const;
    for (const [runner, servedBy] of links) {
      if (!runner || pending.length === 0) continue;
      if (servedBy === 'fallback') this.noteFallback('champion', 'fallback', reason!);
      const rows = pending;
      const subset = rows.length === applicants.length ? applicants : rows.map((i) => applicants[i]!);
      try {
        const answer = await runner.scoreMany(subset, deadline);
        const failed = new Set(answer.failedRows);
        const latency = Object.freeze({ queue_ms: 0, inference_ms: answer.inferenceMs });
        for (let j = 0; j < rows.length; j += 1) {
          if (failed.size > 0 && failed.has(j)) continue;
          results[rows[j]!] = this.fromModel(runner, servedBy, answer.probabilities[j]!, reason, latency);
        }
        this.counters.served[servedBy] += rows.length - failed.size;
        pending = answer.failedRows.map((j) => rows[j]!);
        if (pending.length > 0) reason = `${reason ? `${reason}; ` : ''}${servedBy}: ${answer.failure}`;
      } catch (error) {
        if (this.isFinal(error, options.signal)) throw error;
        reason = `${reason ? `${reason}; ` : ''}${servedBy}: ${describeFailure(error)}`;
      }
    }
    if (pending.length > 0) {
      this.noteFallback(this.fallback ? 'fallback' : 'champion', 'rules', reason!);
      this.counters.served.rules += pending.length;
      for (const row of pending) results[row] = this.fromRule(applicants[row]!, reason!);
    }
    return results;
  }

  async scoreColumns(columns: ScoringColumns, options: ScoreOptions = {}): Promise<ColumnScores> {
    this.checkOpen(options.signal);
    return scoreColumnsThroughChain(
      {
        schema: this.schema,
        champion: this.champion,
        fallback: this.fallback,
        served: this.counters.served,
        noteFallback: (from, to, reason) => this.noteFallback(from, to, reason),
        isFinal: (error, signal) => this.isFinal(error, signal),
      },
      columns,
      options,
    );
  }

  queueDepth(): number {
    return this.champion.queueDepth();
  }

  describe() {
    const { maxBatchSize, maxWaitMs, deadlineMs, maxQueue, cacheSize, breaker } = this.config;
    return {
      ready: this.ready,
      models: [this.champion, this.fallback].filter((runner) => runner !== null).map((runner) => runner.describe()),
      options: { maxBatchSize, maxWaitMs, deadlineMs, maxQueue, cacheSize, breaker: { ...breaker } },
    };
  }

  stats(): EngineStats {
    return {
      served: { ...this.counters.served },
      cache: { ...this.counters.cache, size: this.cache?.size ?? 0 },
      workerRestarts: this.champion.pool.restarts + (this.fallback?.pool.restarts ?? 0),
    };
  }

  async terminateWorker(role: ModelRole, index: number): Promise<void> {
    const runner = role === 'champion' ? this.champion : this.fallback;
    if (!runner) throw new RangeError('this engine has no fallback model');
    await runner.terminateWorker(index);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new EngineClosedError();
    await Promise.all([this.champion.close(error), this.fallback?.close(error)]);
  }
}
