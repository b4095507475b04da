/**
 * The scoring engine as the API sees it: loading in the background from start-up, then ready, or failed with the
 * reason. The server answers /health at once and reports the rest through /ready and MODEL_NOT_READY.
 */
import type { ScoringEngine } from '../core/engine/index.ts';

export class EngineState {
  engine: ScoringEngine | null = null;
  failure: string | null = null;
  /** Loaded, running the request path's warm-up before it serves. */
  warming = false;
  /** The engine while its warm-up runs (for the warm-up's own requests only); null otherwise. */
  warmingEngine: ScoringEngine | null = null;
  private readonly loading: Promise<void>;
  private closed = false;

  /**
   * @param warmUp runs on the loaded engine before it is published: requests meanwhile get "models are warming up".
   *   A failure there is reported through `onWarmUpError` and does not hold readiness back (the engine passed its own
   *   load checks; the request path will simply be cold).
   */
  constructor(
    load: () => Promise<ScoringEngine>,
    onLoaded: (engine: ScoringEngine) => void,
    warmUp: (engine: ScoringEngine) => Promise<void> = async () => undefined,
    onWarmUpError: (error: unknown) => void = () => undefined,
  ) {
    this.loading = load().then(
      async (engine) => {
        this.warming = true;
        this.warmingEngine = engine;
        try {
          if (!this.closed) await warmUp(engine);
        } catch (error) {
          onWarmUpError(error);
        } finally {
          this.warming = false;
          this.warmingEngine = null;
        }
        if (this.closed) {
          await engine.close();
          return;
        }
        this.engine = engine;
        onLoaded(engine);
      },
      (error: unknown) => {
        this.failure = error instanceof Error ? error.message : String(error);
      },
    );
  }

  /** Resolves once loading has succeeded or failed. */
  settled(): Promise<void> {
    return this.loading;
  }

  /** Why scoring cannot happen now, or null when the engine is ready. */
  notReadyReason(): string | null {
    if (this.failure !== null) return `models failed to load: ${this.failure}`;
    if (this.engine === null) return this.warming ? 'models are warming up' : 'models are loading';
    if (!this.engine.ready) return 'models are not ready';
    return null;
  }

  /** Closes the engine; one still loading is closed as soon as it arrives (shutdown does not wait for it). */
  async close(): Promise<void> {
    this.closed = true;
    const engine = this.engine;
    this.engine = null;
    await engine?.close();
  }
}
