/** Errors the engine throws to its callers; each has a stable `code` the shells map to their own catalogues. */

/** A model package could not be loaded: names the file and the cause. */
export class EngineLoadError extends Error {
  readonly code = 'MODEL_LOAD_FAILED';
  readonly file: string;
  constructor(file: string, cause: string) {
    super(`${file}: ${cause}`);
    this.name = 'EngineLoadError';
    this.file = file;
  }
}

/** Too many applicants waiting: the caller should shed load (the API answers 503). */
export class OverloadedError extends Error {
  readonly code = 'OVERLOADED';
  constructor(queued: number, maxQueue: number) {
    super(`the scoring queue is full (${queued} waiting, limit ${maxQueue})`);
    this.name = 'OverloadedError';
  }
}

/** The engine was closed, or is not ready yet. */
export class EngineClosedError extends Error {
  readonly code = 'MODEL_NOT_READY';
  constructor(message = 'the scoring engine is closed') {
    super(message);
    this.name = 'EngineClosedError';
  }
}

/** One model could not answer (run error, deadline, dead worker, open breaker); the fallback chain catches it. */
export class ModelCallError extends Error {
  readonly code: 'MODEL_RUN_FAILED' | 'DEADLINE_EXCEEDED' | 'WORKER_DIED' | 'BREAKER_OPEN' | 'ABORTED';
  constructor(code: ModelCallError['code'], message: string) {
    super(message);
    this.name = 'ModelCallError';
    this.code = code;
  }
}
