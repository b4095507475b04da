/**
 * The scoring engine as the API sees it: loading in the background from start-up, then ready, or failed with the
 * reason. The server answers /health at once and reports the rest through /ready and MODEL_NOT_READY.
 */
import type { ScoringEngine } from '../core/engine/index.ts';

export class EngineState {
  engine: ScoringEngine | null = null;
  failure: string | null = null;
  private readonly loading: Promise<void>;
  private closed = false;

  constructor(load: () => Promise<ScoringEngine>, onLoaded: (engine: ScoringEngine) => void) {
    this.loading = load().then(
      async (engine) => {
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
    if (this.engine === null) return 'models are loading';
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
