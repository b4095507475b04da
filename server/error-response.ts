/**
 * Turns anything thrown while handling a request into a catalogue error body. Fastify's own errors (body too large,
 * wrong media type, bad JSON) and the engine's (overloaded, closed) are mapped to their codes; anything else is a
 * 500 INTERNAL_ERROR whose body carries the request id, never a stack.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type ErrorBody } from './errors.ts';

const RETRY_AFTER_OVERLOADED_S = 1;

function fromFastify(error: FastifyError, request: FastifyRequest): ApiError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('BODY_TOO_LARGE', { limit: request.routeOptions.bodyLimit ?? 0 });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('MALFORMED_JSON', { detail: 'the body is empty' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('MALFORMED_JSON', { detail: 'the body length does not match Content-Length' });
    default:
      return null;
  }
}

/** The catalogue error for a thrown value. */
export function toApiError(error: unknown, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'OVERLOADED') {
    return new ApiError(
      'OVERLOADED',
      { retryAfter: RETRY_AFTER_OVERLOADED_S },
      { headers: { 'retry-after': String(RETRY_AFTER_OVERLOADED_S) } },
    );
  }
  if (code === 'MODEL_NOT_READY') return new ApiError('MODEL_NOT_READY', { reason: (error as Error).message });
  if (typeof code === 'string' && code.startsWith('FST_')) {
    const mapped = fromFastify(error as FastifyError, request);
    if (mapped) return mapped;
    const status = (error as FastifyError).statusCode ?? 500;
    if (status === 404) return new ApiError('NOT_FOUND', { what: `${request.method} ${request.url.split('?')[0]}` });
    if (status >= 400 && status < 500) return new ApiError('BAD_REQUEST', { detail: (error as Error).message });
  }
  return new ApiError('INTERNAL_ERROR');
}

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const apiError = toApiError(error, request);
  if (apiError.code === 'INTERNAL_ERROR') request.log.error({ err: error, request_id: request.id }, 'request failed');
  request.vigie.error = {
    code: apiError.code,
    message: apiError.message,
    ...(apiError.issues ? { issues: apiError.issues } : {}),
  };
  const body: ErrorBody = { code: apiError.code, message: apiError.message, request_id: request.id };
  if (apiError.issues) body.issues = apiError.issues;
  if (apiError.code === 'UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer');
  for (const [name, value] of Object.entries(apiError.headers)) reply.header(name, value);
  return reply.code(apiError.statusCode).type('application/json; charset=utf-8').send(body);
}
