/**
 * What the routes and hooks share: the server-wide context (config, engine, log writer, metrics) and the per-request
 * state the log record is built from.
 */
import type { InputSchema } from '../core/contract/index.ts';
import type { Principal, KeyRing } from './auth.ts';
import type { Challengers } from './challengers.ts';
import type { ServerConfig } from './config.ts';
import type { EngineState } from './engine-state.ts';
import type { LogWriter } from './log-writer.ts';
import type { ApiMetrics } from './metrics.ts';
import type { ItemOutcome, RecordedError } from './request-record.ts';

export type AuthLevel = 'none' | 'score' | 'admin';

export interface RequestState {
  /** Epoch ms when the request arrived (the record's `ts`). */
  receivedAt: number;
  /** performance.now() when the request arrived. */
  started: number;
  principal: Principal | null;
  /** The applicants of a scoring request once its body was read; null before (auth, rate limit, body errors). */
  items: ItemOutcome[] | null;
  error: RecordedError | null;
  /**
   * The API's own warm-up request over loopback before /ready (warm-up.ts): authenticated by a secret of this
   * process that exists only while the warm-up runs, never recorded, counted or rate limited.
   */
  warmUp: boolean;
}

export interface ServerContext {
  config: ServerConfig;
  engine: EngineState;
  writer: LogWriter;
  metrics: ApiMetrics;
  /** The shadow model and the canary challenger (both optional). */
  challengers: Challengers;
  keys: KeyRing;
  pseudonymise: (id: unknown) => string | null;
  /** The served champion's schema, or null until the engine is loaded. */
  schema(): InputSchema | null;
  shuttingDown: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    vigie: RequestState;
  }
  interface FastifyContextConfig {
    /** Who may call the route. @default 'none' */
    auth?: AuthLevel;
    /** The route writes production log records. @default false */
    record?: boolean;
  }
  interface FastifyInstance {
    vigie: ServerContext;
  }
}
