/**
 * POST /v1/score (one applicant) and POST /v1/score/batch (up to `batchMaxItems`, per-item results and errors).
 * Order of checks: auth and rate limit (hooks), body (parser), model ready, validation with the champion's schema,
 * load shedding, then the engine's fallback chain.
 */
import type { FastifyInstance } from 'fastify';
import type { InputSchema, ValidationIssue } from '../../core/contract/index.ts';
import type { ScoreResult, ScoringEngine } from '../../core/engine/index.ts';
import type { ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponses } from '../openapi.ts';
import type { Arm } from '../challengers.ts';
import { loggableInput, servedByOf, type ItemOutcome } from '../request-record.ts';
import { forgetIds, scoreBody } from './score-body.ts';

const RETRY_AFTER_S = 1;

function readyEngine(context: ServerContext, warmUp = false): ScoringEngine {
  if (warmUp && context.engine.warmingEngine) return context.engine.warmingEngine;
  const reason = context.engine.notReadyReason();
  if (reason !== null) throw new ApiError('MODEL_NOT_READY', { reason });
  return context.engine.engine!;
}

function shedIfOverloaded(context: ServerContext, engine: ScoringEngine, incoming: number): void {
  if (engine.queueDepth() + incoming > context.config.maxQueue) {
    throw new ApiError(
      'OVERLOADED',
      { retryAfter: RETRY_AFTER_S },
      { headers: { 'retry-after': String(RETRY_AFTER_S) } },
    );
  }
}

function countIssues(context: ServerContext, schema: InputSchema, issues: readonly ValidationIssue[]): void {
  for (const issue of issues) {
    const field = issue.path === '' ? '_body' : schema.fieldsByName.has(issue.path) ? issue.path : '_unknown';
    context.metrics.validationFailures.inc({ field, code: issue.code });
  }
}

function observe(context: ServerContext, result: ScoreResult, arm: Arm | undefined): void {
  const { metrics } = context;
  const servedBy = servedByOf(result, arm);
  metrics.probability.observe({ served_by: servedBy }, result.probability);
  metrics.decisions.inc({ decision: result.decision, served_by: servedBy });
  if (result.degraded) metrics.degraded.inc({ served_by: servedBy });
  if (arm) context.challengers.noteAnswer(arm, servedBy);
}

/** The engine answering an applicant: the canary challenger's for its sticky share, else the champion's. */
function answeringEngine(context: ServerContext, engine: ScoringEngine, item: ItemOutcome): ScoringEngine {
  const arm = context.challengers.arm(item.applicantRef);
  if (arm === null) return engine;
  const challenger = arm === 'challenger' ? context.challengers.canaryEngine() : null;
  item.arm = challenger ? 'challenger' : 'champion';
  return challenger ?? engine;
}

function outcome(context: ServerContext, requestId: string, body: unknown): ItemOutcome {
  const id = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).SK_ID_CURR : undefined;
  return { requestId, applicantRef: context.pseudonymise(id), input: null, result: null, error: null };
}

export function registerScoreRoutes(app: FastifyInstance): void {
  const context = app.vigie;
  const { config } = context;

  app.post(
    '/v1/score',
    {
      bodyLimit: config.bodyLimit,
      config: { auth: 'score', record: true },
      schema: {
        summary: 'Score one applicant',
        security: [{ bearer: [] }],
        headers: { type: 'object', properties: { 'x-request-id': { type: 'string' } } },
        body: { $ref: 'Applicant#' },
        response: { 200: { $ref: 'Score#' }, ...errorResponses(400, 401, 413, 415, 429, 500, 503) },
      },
    },
    async (request) => {
      const item = outcome(context, request.id, request.body);
      request.vigie.items = [item];
      const warmUp = request.vigie.warmUp;
      const engine = readyEngine(context, warmUp);
      const schema = engine.schema;
      const validation = schema.validate(request.body);
      if (!validation.ok) {
        item.input = loggableInput(request.body, schema);
        if (!warmUp) countIssues(context, schema, validation.issues);
        throw new ApiError('VALIDATION_FAILED', { count: validation.issues.length }, { issues: validation.issues });
      }
      item.input = validation.value;
      const answering = warmUp ? engine : answeringEngine(context, engine, item);
      let result: ScoreResult;
      try {
        shedIfOverloaded(context, answering, 1);
        result = await answering.score(validation.value);
      } finally {
        forgetIds([validation.value]);
      }
      item.result = result;
      if (!warmUp) observe(context, result, item.arm);
      return {
        request_id: request.id,
        ...scoreBody(result, item.arm),
        timestamp: new Date(request.vigie.receivedAt).toISOString(),
      };
    },
  );

  app.post(
    '/v1/score/batch',
    {
      bodyLimit: config.batchBodyLimit,
      config: { auth: 'score', record: true },
      schema: {
        summary: `Score up to ${config.batchMaxItems} applicants; each item has its result or its error`,
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          required: ['applicants'],
          properties: {
            applicants: { type: 'array', minItems: 1, maxItems: config.batchMaxItems, items: { $ref: 'Applicant#' } },
          },
        },
        response: {
          200: {
            description: 'Per-item results, in request order; request_id of an item is <request id>:<index>.',
            type: 'object',
            properties: {
              request_id: { type: 'string' },
              timestamp: { type: 'string', format: 'date-time' },
              scored: { type: 'integer' },
              failed: { type: 'integer' },
              results: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
          ...errorResponses(400, 401, 413, 415, 429, 500, 503),
        },
      },
    },
    async (request) => {
      const engine = readyEngine(context);
      const schema = engine.schema;
      const body = request.body as Record<string, unknown> | null;
      const applicants =
        typeof body === 'object' && body !== null && !Array.isArray(body) ? body.applicants : undefined;
      if (
        !Array.isArray(applicants) ||
        applicants.length === 0 ||
        applicants.length > config.batchMaxItems ||
        Reflect.ownKeys(body!).length !== 1
      ) {
        throw new ApiError('BATCH_INVALID', { max: config.batchMaxItems });
      }
      context.metrics.requestBatchSize.observe(applicants.length);
      const items = applicants.map((applicant, index) => ({
        ...outcome(context, `${request.id}:${index}`, applicant),
        batch: { id: request.id, index, size: applicants.length },
      }));
      request.vigie.items = items;
      const valid: Array<{ index: number; value: Record<string, number | string | null> }> = [];
      applicants.forEach((applicant, index) => {
        const validation = schema.validate(applicant);
        if (validation.ok) {
          valid.push({ index, value: validation.value });
          items[index]!.input = validation.value;
          return;
        }
        items[index]!.input = loggableInput(applicant, schema);
        countIssues(context, schema, validation.issues);
        const error = new ApiError('VALIDATION_FAILED', { count: validation.issues.length });
        items[index]!.error = { code: error.code, message: error.message, issues: validation.issues };
        items[index]!.httpStatus = error.statusCode;
      });
      if (valid.length > 0) {
        const values = valid.map((entry) => entry.value);
        // Each item goes to its own arm's engine; one scoreMany per engine keeps the batch a batch.
        const groups = new Map<ScoringEngine, number[]>();
        valid.forEach((entry, position) => {
          const answering = answeringEngine(context, engine, items[entry.index]!);
          groups.set(answering, [...(groups.get(answering) ?? []), position]);
        });
        const results = new Array<ScoreResult>(valid.length);
        try {
          for (const [answering, positions] of groups) shedIfOverloaded(context, answering, positions.length);
          await Promise.all(
            [...groups].map(async ([answering, positions]) => {
              const answers = await answering.scoreMany(positions.map((p) => values[p]!));
              positions.forEach((p, k) => (results[p] = answers[k]!));
            }),
          );
        } finally {
          forgetIds(values);
        }
        results.forEach((result, position) => {
          const item = items[valid[position]!.index]!;
          item.result = result;
          item.httpStatus = 200;
          observe(context, result, item.arm);
        });
      }
      return {
        request_id: request.id,
        timestamp: new Date(request.vigie.receivedAt).toISOString(),
        scored: valid.length,
        failed: items.length - valid.length,
        results: items.map((item, index) =>
          item.result
            ? { index, request_id: item.requestId, ok: true, ...scoreBody(item.result, item.arm) }
            : { index, request_id: item.requestId, ok: false, error: item.error },
        ),
      };
    },
  );
}
