/**
 * The scoring API as a Fastify app factory: `buildServer(config, deps)` returns a server that can be exercised with
 * `inject` (tests) or `listen` (server/start.ts). The engine is injected as a loader so tests can pass their own.
 */
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { formatLogLine, type Applicant } from '../core/contract/index.ts';
import type { EngineObserver, ScoringEngine } from '../core/engine/index.ts';
import { createKeyRing, type Principal } from './auth.ts';
import { ChallengerMetrics } from './challenger-metrics.ts';
import { Challengers, type ChallengerLoader } from './challengers.ts';
import { ConfigError, type ServerConfig } from './config.ts';
import type { ServerContext } from './context.ts';
import { challengerLoader } from './engine-loader.ts';
import { EngineState } from './engine-state.ts';
import { sendError } from './error-response.ts';
import { ApiError } from './errors.ts';
import { LogWriter, type LogWriterOptions } from './log-writer.ts';
import { uuidv7 } from './request-id.ts';
import { LogDirLockedError } from './log-lock.ts';
import { ApiMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { buildRecord, createPseudonymiser } from './request-record.ts';
import { carriesSecret, LoopbackClient, warmScoringPath, warmUpSecret } from './warm-up.ts';
import { registerLogRoutes } from './routes/logs.ts';
import { registerOperationRoutes } from './routes/operations.ts';
import { registerScoreRoutes } from './routes/score.ts';

export interface ServerDeps {
  /** Loads the scoring engine; called once at start-up with the observer that feeds /metrics. */
  loadEngine(observer: EngineObserver): Promise<ScoringEngine>;
  /** Loads the shadow model and the canary challenger when configured. @default from config.modelsDir */
  loadChallenger?: ChallengerLoader;
  /** Milliseconds clock of the log writer (file days). @default Date.now */
  now?: () => number;
  /** Fastify logger options. @default pino at config.logLevel on stdout */
  logger?: FastifyServerOptions['logger'];
}

/** Who the warm-up's loopback requests are: rate limited apart, never recorded or counted. */
const WARM_UP_PRINCIPAL: Principal = { id: 'warm-up', role: 'score' };
const WARM_UP_BURSTS = 20;
const WARM_UP_BURST_SIZE = 16;

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/**
 * The client's X-Request-Id, or a UUIDv7 (RFC 9562): time-ordered, so the ids of a log file arrive at the store's
 * dedupe index nearly in order and an import touches few of its pages (docs/decisions/1618-time-ordered-request-ids.md).
 */
function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : uuidv7();
}

async function openLogWriter(options: LogWriterOptions): Promise<LogWriter> {
  try {
    return await LogWriter.open(options);
  } catch (error) {
    if (error instanceof LogDirLockedError) throw new ConfigError(error.message);
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(`cannot use the log directory ${options.dir} (VIGIE_LOG_DIR): ${code}`);
  }
}

export async function buildServer(config: ServerConfig, deps: ServerDeps): Promise<FastifyInstance> {
  if (config.hashKey === null) throw new Error('resolveSecrets(config) must run before buildServer');
  const metrics = new ApiMetrics();
  const writer = await openLogWriter({
    dir: config.logDir,
    replica: config.replica,
    maxFileBytes: config.logMaxFileBytes,
    fsyncMs: config.logFsyncMs,
    gzip: config.logGzip,
    minFreeBytes: config.logMinFreeBytes,
    now: deps.now,
    onWriteError: (code) => metrics.logWriteErrors.inc({ code }),
    onRotate: () => metrics.logRotations.inc(),
  });

  const app = Fastify({
    logger: deps.logger ?? { level: config.logLevel },
    // Per-request lines would cost more than scoring at load; the production log records every scoring request.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    // Closing is handled by onRequest (SHUTTING_DOWN) so refused requests still get a catalogue body and a record.
    return503OnClosing: false,
    bodyLimit: Math.max(config.bodyLimit, config.batchBodyLimit),
    forceCloseConnections: 'idle',
    // A client trickling its request cannot hold a connection for ever; idle keep-alive outlives a typical load
    // balancer's 60 s so the balancer, not the API, closes idle connections (no race on reuse).
    requestTimeout: 30_000,
    keepAliveTimeout: 65_000,
  });

  // The warm-up's model runs are not production traffic: /metrics sees the engine only once it serves.
  let warming = false;
  /** The secret of the warm-up's own loopback requests, while the warm-up runs (warm-up.ts); null otherwise. */
  let warmUpKey: string | null = null;
  const observed = metrics.engineObserver();
  const observer: EngineObserver = {
    ...observed,
    batch: (event) => warming || observed.batch!(event),
    fallback: (event) => warming || observed.fallback!(event),
    cache: (hit) => warming || observed.cache!(hit),
  };
  const engine = new EngineState(
    () => deps.loadEngine(observer),
    (loaded) => {
      metrics.setModels(
        loaded.describe().models.map((model) => ({
          role: model.role,
          name: model.name,
          version: model.version,
          alias: model.alias ?? '',
          kind: model.kind,
          provider: model.provider,
        })),
      );
    },
    async (loaded) => {
      if (config.warmUpRequests === 0) return;
      warming = true;
      const secret = warmUpSecret();
      warmUpKey = secret;
      let loopback: LoopbackClient | null = null;
      try {
        const bursts = Math.min(WARM_UP_BURSTS, Math.floor(config.warmUpRequests / WARM_UP_BURST_SIZE));
        const report = await warmScoringPath(loaded, {
          lone: config.warmUpRequests - bursts * WARM_UP_BURST_SIZE,
          bursts,
          burstSize: WARM_UP_BURST_SIZE,
          pseudonymise: context.pseudonymise,
          replica: config.replica,
          loopback: () => {
            const address = app.server.listening ? app.server.address() : null;
            if (loopback === null && address !== null && typeof address === 'object') {
              loopback = new LoopbackClient(address, secret);
            }
            return loopback;
          },
        });
        app.log.info(
          { requests: report.requests, overHttp: report.overHttp, ms: Math.round(report.ms) },
          'request path warmed up',
        );
      } finally {
        warmUpKey = null;
        (loopback as LoopbackClient | null)?.close();
        warming = false;
      }
    },
    (error) => app.log.warn({ reason: (error as Error).message }, 'the warm-up failed; serving with a cold path'),
  );
  engine.settled().then(() => {
    if (engine.failure !== null) {
      app.log.error({ reason: engine.failure }, 'models failed to load; /ready stays 503');
    } else if (engine.engine !== null) {
      const models = engine.engine
        .describe()
        .models.map((m) => `${m.role} ${m.name}/${m.version} (${Math.round(m.loadMs)} ms)`);
      app.log.info({ models }, 'models loaded and warm');
    }
  });

  // Challengers load once the champion has (they never hold up readiness, nor compete with the champion's warm-up).
  const loadChallenger = deps.loadChallenger ?? challengerLoader(config);
  const challengers = new Challengers(
    config,
    new ChallengerMetrics(metrics.registry),
    (role, ref) => engine.settled().then(() => loadChallenger(role, ref)),
    { info: (message) => app.log.info(message), error: (message) => app.log.error(message) },
  );
  /** Records waiting for their shadow answer (at most the shadow deadline); written before the log closes. */
  const deferred = new Set<Promise<void>>();

  const context: ServerContext = {
    config,
    engine,
    writer,
    metrics,
    challengers,
    keys: createKeyRing(config.apiKeys, config.adminKeys),
    pseudonymise: createPseudonymiser(config.hashKey),
    schema: () => engine.engine?.schema ?? null,
    shuttingDown: false,
  };
  app.decorate('vigie', context);
  app.decorateRequest('vigie', null as never);

  // Bodies are validated by the routes with the model's own schema (per-field issues), never by Fastify's Ajv;
  // route schemas are documentation. Responses are plain JSON.stringify.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      // JSON.parse keeps "__proto__" as an own key (no prototype change); the schema validator then refuses it.
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(new ApiError('MALFORMED_JSON', { detail: (error as Error).message.slice(0, 200) }), undefined);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    // Only POST /v1/score takes the warm-up's requests, and only while the warm-up runs.
    const warmUp =
      warmUpKey !== null &&
      request.routeOptions.url === '/v1/score' &&
      carriesSecret(request.headers.authorization, warmUpKey);
    request.vigie = {
      receivedAt: Date.now(),
      started: performance.now(),
      principal: null,
      items: null,
      error: null,
      warmUp,
    };
    if (!warmUp) {
      metrics.inFlight.inc();
      reply.raw.once('close', () => metrics.inFlight.dec());
    }
    reply.header('x-request-id', request.id);
    const auth = request.routeOptions.config.auth ?? 'none';
    if (auth === 'none') return;
    if (context.shuttingDown) throw new ApiError('SHUTTING_DOWN', {}, { headers: { connection: 'close' } });
    const header = request.headers['x-request-id'];
    if (header !== undefined && header !== request.id) throw new ApiError('INVALID_REQUEST_ID');
    // The warm-up's token is checked against the keys too, as a client's is (it matches none).
    const principal = context.keys.authenticate(request.headers.authorization);
    request.vigie.principal = warmUp ? WARM_UP_PRINCIPAL : principal;
  });

  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindowMs,
    // Requests without a valid key are limited per address, so a flood of bad keys is throttled (and logged) too.
    keyGenerator: (request) => request.vigie.principal?.id ?? `ip:${request.ip}`,
    allowList: (request) => (request.routeOptions.config.auth ?? 'none') === 'none',
    errorResponseBuilder: (_request, limit) =>
      new ApiError('RATE_LIMITED', { max: limit.max, window: `${config.rateLimitWindowMs} ms`, after: limit.after }),
  });
  // Runs after the rate limiter's route hook (both are route-level onRequest hooks, added in this order).
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth ?? 'none';
    if (auth === 'none') return;
    const hooks =
      route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [
      ...hooks,
      async (request) => {
        const principal = request.vigie.principal;
        if (principal === null) throw new ApiError('UNAUTHENTICATED');
        if (auth === 'admin' && principal.role !== 'admin') throw new ApiError('FORBIDDEN');
      },
    ];
  });

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      new ApiError('NOT_FOUND', { what: `${request.method} ${request.url.split('?')[0]!.slice(0, 200)}` }),
      request,
      reply,
    ),
  );

  // The record is written, synchronously, before the response leaves: an answered request is never unrecorded.
  app.addHook('onSend', (request, reply, payload, done) => {
    // While draining, a kept-alive connection would hold the close open until its idle timeout.
    if (context.shuttingDown) reply.header('connection', 'close');
    const state = request.vigie;
    if (state && request.routeOptions.config.record) {
      const facts = {
        receivedAt: state.receivedAt,
        replica: config.replica,
        route: request.routeOptions.url ?? request.url,
        httpStatus: reply.statusCode,
        totalMs: performance.now() - state.started,
        client: state.principal?.id ?? null,
      };
      const items = state.items ?? [
        { requestId: request.id, applicantRef: null, input: null, result: null, error: null },
      ];
      const write = () => {
        let text = '';
        for (const item of items) {
          text += formatLogLine(
            buildRecord(facts, item.error === null && item.result === null ? { ...item, error: state.error } : item),
          );
        }
        // The warm-up's line is built (that is what it warms) and dropped.
        if (!state.warmUp && writer.append(text)) metrics.logRecords.inc(items.length);
      };
      const shadows = items.map((item) =>
        item.result && item.input && !state.warmUp ? challengers.shadow(item.input as Applicant, item.result) : null,
      );
      if (shadows.every((shadow) => shadow === null)) {
        write();
      } else {
        // The shadow works after the response has gone; its answer joins the record, which waits for it.
        const done = Promise.all(shadows).then((answers) => {
          answers.forEach((answer, i) => {
            if (answer) items[i]!.shadow = answer;
          });
          write();
        });
        deferred.add(done);
        void done.finally(() => deferred.delete(done));
      }
    }
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const state = request.vigie;
    if (state && !state.warmUp) {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.requestDuration.observe(
        { route, method: request.method, status_code: reply.statusCode },
        (performance.now() - state.started) / 1000,
      );
      if (state.error) metrics.errors.inc({ code: state.error.code });
    }
    done();
  });

  app.addHook('onClose', async () => {
    await Promise.all(deferred);
    await challengers.close();
    await engine.close();
    await writer.close();
  });

  await registerOpenApi(app, { docs: config.docs, applicantSchema: () => context.schema()?.document ?? null });
  registerOperationRoutes(app);
  registerScoreRoutes(app);
  registerLogRoutes(app);
  return app;
}
