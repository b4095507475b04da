/**
 * The models beside the champion: a shadow model that scores answered requests off the request path, and a canary
 * challenger that answers a sticky share of applicants. Both load in the background after the champion and never
 * hold up readiness: a shadow that fails to load, throws or hangs costs the primary answers nothing — its work is
 * dropped or fails, and the metrics count it. The canary arm answers through its own fallback chain.
 */
import type { Applicant } from '../core/contract/index.ts';
import type { ModelRef, ScoreResult, ScoringEngine } from '../core/engine/index.ts';
import { canaryArm, type Arm } from './canary-arm.ts';
import type { ChallengerMetrics } from './challenger-metrics.ts';
import type { ServerConfig } from './config.ts';

export type ChallengerRole = 'shadow' | 'canary';
export type ChallengerLoader = (role: ChallengerRole, ref: string) => Promise<ScoringEngine>;

/** The `shadow` object of a log record (CONTRACT.md §3). */
export type ShadowAnswer =
  { model: ModelRef; probability: number; decision: string; latency_ms: number } | { model: ModelRef; error: string };

export interface ChallengerLog {
  info(message: string): void;
  error(message: string): void;
}

interface Loaded {
  engine: ScoringEngine | null;
  failure: string | null;
  model: ModelRef | null;
}

const UNKNOWN_MODEL = (ref: string): ModelRef => ({ name: ref, version: '?', alias: null });

/** The catalogue code of a shadow answer the engine could not give (its reason says which link failed how). */
function shadowErrorCode(reason: string | undefined): string {
  if (reason === undefined) return 'SHADOW_FAILED';
  if (/deadline/i.test(reason)) return 'SHADOW_TIMEOUT';
  if (/circuit breaker/i.test(reason)) return 'SHADOW_BREAKER_OPEN';
  return 'SHADOW_FAILED';
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export class Challengers {
  private readonly shadowState: Loaded = { engine: null, failure: null, model: null };
  private readonly canaryState: Loaded = { engine: null, failure: null, model: null };
  private readonly loading: Promise<void>;
  private pending = 0;
  private closed = false;
  private restarting = false;

  constructor(
    private readonly config: ServerConfig,
    private readonly metrics: ChallengerMetrics,
    load: ChallengerLoader,
    private readonly log: ChallengerLog,
    private readonly random: () => number = Math.random,
  ) {
    const start = (role: ChallengerRole, ref: string | undefined, state: Loaded) =>
      ref === undefined
        ? Promise.resolve()
        : load(role, ref).then(
            async (engine) => {
              if (this.closed) return void (await engine.close());
              state.engine = engine;
              const model = engine.describe().models[0];
              state.model = model ? { name: model.name, version: model.version, alias: model.alias } : null;
              log.info(`${role} model ${model?.name}/${model?.version} loaded`);
            },
            (error: unknown) => {
              state.failure = error instanceof Error ? error.message : String(error);
              if (role === 'shadow') metrics.shadowErrors.inc({ code: 'SHADOW_LOAD_FAILED' });
              log.error(`${role} model ${ref} failed to load; the champion keeps answering: ${state.failure}`);
            },
          );
    this.loading = Promise.all([
      start('shadow', config.shadowModel ?? undefined, this.shadowState),
      start('canary', config.canary?.model, this.canaryState),
    ]).then(() => undefined);
  }

  /** Resolves once every configured challenger has loaded or failed. */
  settled(): Promise<void> {
    return this.loading;
  }

  /** The arm that answers this applicant, or null when no canary is configured. */
  arm(applicantRef: string | null): Arm | null {
    const canary = this.config.canary;
    if (canary === null) return null;
    // Until the challenger is loaded (or when it failed to), every applicant stays with the champion.
    if (this.canaryState.engine === null) return 'champion';
    return canaryArm(applicantRef, canary.percent);
  }

  /** The engine of the challenger arm (its own fallback chain), once loaded. */
  canaryEngine(): ScoringEngine | null {
    return this.canaryState.engine;
  }

  noteAnswer(arm: Arm, servedBy: string): void {
    this.metrics.canaryAnswers.inc({ arm, served_by: servedBy });
  }

  /**
   * Starts the shadow's work for one answered applicant, after the current turn of the event loop (the response
   * goes first), or returns null when there is none: not sampled, no shadow model, or dropped (counted).
   * The promise never rejects.
   */
  shadow(applicant: Applicant, served: ScoreResult): Promise<ShadowAnswer> | null {
    if (this.config.shadowModel === null || this.closed) return null;
    if (this.config.shadowSample < 1 && this.random() >= this.config.shadowSample) return null;
    const engine = this.shadowState.engine;
    if (engine === null) {
      this.metrics.shadowDropped.inc({ reason: 'unavailable' });
      return null;
    }
    if (this.pending >= this.config.shadowMaxQueue) {
      this.metrics.shadowDropped.inc({ reason: 'queue_full' });
      return null;
    }
    this.pending += 1;
    this.metrics.shadowQueue.set(this.pending);
    const model = this.shadowState.model ?? UNKNOWN_MODEL(this.config.shadowModel);
    return new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => engine.score(applicant, { deadlineMs: this.config.shadowDeadlineMs }))
      .then(
        (result): ShadowAnswer => {
          if (result.served_by !== 'champion') {
            const code = shadowErrorCode(result.reason);
            this.metrics.shadowErrors.inc({ code });
            if (code === 'SHADOW_TIMEOUT') this.replaceHungWorker(engine);
            return { model, error: code };
          }
          this.metrics.shadowScored.inc({ model: `${model.name}/${model.version}` });
          if (result.decision !== served.decision)
            this.metrics.shadowFlips.inc({ from: served.decision, to: result.decision });
          const latency = result.latency.queue_ms + result.latency.inference_ms;
          return { model, probability: result.probability, decision: result.decision, latency_ms: round(latency) };
        },
        (error: unknown): ShadowAnswer => {
          const code = (error as { code?: string }).code === 'OVERLOADED' ? 'SHADOW_OVERLOADED' : 'SHADOW_FAILED';
          this.metrics.shadowErrors.inc({ code });
          return { model, error: code };
        },
      )
      .finally(() => {
        this.pending -= 1;
        this.metrics.shadowQueue.set(this.pending);
      });
  }

  /**
   * A shadow run past its deadline keeps its worker busy (ONNX Runtime's run cannot be interrupted), burning a core
   * the champion may need: the worker is stopped and the pool starts a fresh one. The requests of the stuck run have
   * already timed out, so nothing is retried on the new worker.
   */
  private replaceHungWorker(engine: ScoringEngine): void {
    if (this.restarting || this.closed) return;
    this.restarting = true;
    this.metrics.shadowWorkerRestarts.inc();
    void engine
      .terminateWorker('champion', 0)
      .catch(() => undefined)
      .finally(() => (this.restarting = false));
  }

  /** What /v1/model and the start-up log show of the challengers. */
  describe(): Array<{ role: ChallengerRole; ref: string; model: ModelRef | null; failure: string | null }> {
    const rows: ReturnType<Challengers['describe']> = [];
    if (this.config.shadowModel !== null)
      rows.push({
        role: 'shadow',
        ref: this.config.shadowModel,
        model: this.shadowState.model,
        failure: this.shadowState.failure,
      });
    if (this.config.canary !== null)
      rows.push({
        role: 'canary',
        ref: this.config.canary.model,
        model: this.canaryState.model,
        failure: this.canaryState.failure,
      });
    return rows;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.shadowState.engine?.close(), this.canaryState.engine?.close()]);
    this.shadowState.engine = null;
    this.canaryState.engine = null;
  }
}

export type { Arm };
