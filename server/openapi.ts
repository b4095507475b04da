/**
 * The OpenAPI document (`/openapi.json`) and Swagger UI (`/docs`). Shared schemas are registered once; the Applicant
 * schema is the served champion's `input_schema.json`, put in when the document is requested so it always shows what
 * the API validates with. Error responses list their catalogue codes, generated from server/errors.ts.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ERROR_CATALOGUE, ERROR_CODES } from './errors.ts';

const ISSUE = {
  type: 'object',
  required: ['path', 'code', 'message'],
  properties: {
    path: { type: 'string', description: 'The field, or "" for the body itself.' },
    code: { type: 'string', description: 'Issue code, e.g. required, wrong_type, too_small, unknown_category.' },
    message: { type: 'string' },
  },
};

const MODEL_REF = {
  type: 'object',
  required: ['name', 'version', 'alias'],
  properties: { name: { type: 'string' }, version: { type: 'string' }, alias: { type: 'string', nullable: true } },
};

export const SHARED_SCHEMAS = [
  {
    $id: 'Applicant',
    type: 'object',
    description: 'One applicant: the served champion input_schema.json (see GET /v1/model).',
    additionalProperties: true,
  },
  {
    $id: 'Error',
    type: 'object',
    required: ['code', 'message', 'request_id'],
    properties: {
      code: { type: 'string', enum: ERROR_CODES },
      message: { type: 'string' },
      request_id: { type: 'string' },
      issues: { type: 'array', items: ISSUE },
    },
  },
  {
    $id: 'Score',
    type: 'object',
    required: ['request_id', 'probability', 'decision', 'threshold', 'model', 'served_by', 'degraded', 'timestamp'],
    properties: {
      request_id: { type: 'string' },
      probability: { type: 'number', minimum: 0, maximum: 1, description: 'Probability of default.' },
      decision: { type: 'string', enum: ['approve', 'refuse'], description: 'refuse when probability >= threshold.' },
      threshold: { type: 'number' },
      model: MODEL_REF,
      served_by: { type: 'string', enum: ['champion', 'challenger', 'fallback', 'rules'] },
      degraded: { type: 'boolean', description: 'True whenever the arm’s own model did not answer.' },
      arm: {
        type: 'string',
        enum: ['champion', 'challenger'],
        description: 'The canary arm that answered (only when VIGIE_CANARY is set).',
      },
      timestamp: { type: 'string', format: 'date-time' },
    },
  },
];

/** Error responses for the given statuses, each listing the catalogue codes it can carry. */
export function errorResponses(...statuses: number[]): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const status of statuses) {
    const codes = ERROR_CODES.filter((code) => ERROR_CATALOGUE[code].status === status);
    responses[String(status)] = { description: codes.join(', '), $ref: 'Error#' };
  }
  return responses;
}

function withApplicant(document: Record<string, unknown>, applicantSchema: unknown): Record<string, unknown> {
  if (typeof applicantSchema !== 'object' || applicantSchema === null) return document;
  const { $schema: _schema, $id: _id, ...schema } = applicantSchema as Record<string, unknown>;
  const components = (document.components ?? {}) as Record<string, Record<string, unknown>>;
  components.schemas = { ...components.schemas, Applicant: schema };
  return { ...document, components };
}

export async function registerOpenApi(
  app: FastifyInstance,
  options: { docs: boolean; applicantSchema: () => unknown },
): Promise<void> {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Vigie scoring API',
        version: '1',
        description: 'Scores loan applicants (probability of default and decision) and serves its production logs.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'none' } }, async () =>
    withApplicant(app.swagger() as unknown as Record<string, unknown>, options.applicantSchema()),
  );
  if (options.docs) {
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      transformSpecificationClone: true,
      transformSpecification: (spec) => withApplicant(spec as Record<string, unknown>, options.applicantSchema()),
    });
  }
}
