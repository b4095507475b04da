/**
 * Operational routes: GET /health (the process is alive), GET /ready (it can score and record: 503 with the reasons
 * otherwise), GET /v1/model (what is served), GET /metrics (Prometheus text).
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.ts';
import { errorResponses } from '../openapi.ts';

export function registerOperationRoutes(app: FastifyInstance): void {
  const context = app.vigie;
  const startedAt = Date.now();

  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness: the process answers',
        response: {
          200: {
            type: 'object',
            properties: { status: { type: 'string' }, replica: { type: 'string' }, uptime_s: { type: 'number' } },
          },
        },
      },
    },
    async () => ({
      status: 'ok',
      replica: context.config.replica,
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
    }),
  );

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: models loaded and warm, log folder writable with free space, not shutting down',
        response: {
          200: {
            type: 'object',
            properties: { ready: { type: 'boolean' }, reasons: { type: 'array', items: { type: 'string' } } },
          },
          503: {
            type: 'object',
            properties: { ready: { type: 'boolean' }, reasons: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
    async (_request, reply) => {
      const reasons: string[] = [];
      if (context.shuttingDown) reasons.push('shutting down');
      const engineReason = context.engine.notReadyReason();
      if (engineReason !== null) reasons.push(engineReason);
      const logs = await context.writer.health();
      reasons.push(...logs.reasons);
      const ready = reasons.length === 0;
      context.metrics.ready.set(ready ? 1 : 0);
      return reply.code(ready ? 200 : 503).send({ ready, reasons });
    },
  );

  app.get(
    '/v1/model',
    {
      config: { auth: 'score' },
      schema: {
        summary: 'The served models: versions, thresholds, inputs and outputs, engine options, input schema',
        security: [{ bearer: [] }],
        response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses(401, 429, 503) },
      },
    },
    async () => {
      const reason = context.engine.notReadyReason();
      const engine = context.engine.engine;
      if (engine === null) throw new ApiError('MODEL_NOT_READY', { reason: reason ?? 'models are not loaded' });
      const description = engine.describe();
      return {
        ...description,
        ready: reason === null,
        reason,
        challengers: context.challengers.describe(),
        input_schema: engine.schema.document,
      };
    },
  );

  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics (text exposition format)' } },
    async (_request, reply) => {
      const engine = context.engine.engine;
      context.metrics.queueDepth.set(engine ? engine.queueDepth() : 0);
      const text = await context.metrics.registry.metrics();
      return reply.type(context.metrics.registry.contentType).send(text);
    },
  );
}
