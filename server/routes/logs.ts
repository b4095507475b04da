/**
 * Admin routes serving this replica's production log to the console:
 * GET /v1/logs?since=<cursor>&limit=<n> (NDJSON page, next cursor in `X-Next-Cursor`, `X-Has-More`),
 * GET /v1/logs/files (closed files) and GET /v1/logs/files/<name> (one file as it is on disk).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.ts';
import { listLogFiles, parseLogFileName } from '../log-files.ts';
import { decodeCursor, readLogPage } from '../log-reader.ts';
import { errorResponses } from '../openapi.ts';

export const DEFAULT_PAGE_LIMIT = 1000;
export const MAX_PAGE_LIMIT = 10_000;
const MAX_PAGE_BYTES = 8 * 1024 * 1024;

function parseLimit(raw: unknown): number {
  if (raw === undefined) return DEFAULT_PAGE_LIMIT;
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE_LIMIT) {
    throw new ApiError('INVALID_QUERY', { name: 'limit', detail: `expected an integer from 1 to ${MAX_PAGE_LIMIT}` });
  }
  return Number(raw);
}

export function registerLogRoutes(app: FastifyInstance): void {
  const context = app.vigie;
  const { config } = context;

  app.get(
    '/v1/logs',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Production log records after a cursor, in write order (NDJSON)',
        description:
          'Each line is one record (CONTRACT.md section 3). X-Next-Cursor: pass it as `since` for the next page ' +
          '(absent only when the log is empty and no cursor was given). X-Has-More: true when more records are ' +
          'already there; when false, poll again later with the same cursor.',
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          properties: {
            since: { type: 'string', description: 'Cursor from X-Next-Cursor; omitted: from the oldest record.' },
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT },
          },
        },
        response: {
          200: {
            description: 'NDJSON, one log record per line',
            content: { 'application/x-ndjson': { schema: { type: 'string' } } },
          },
          ...errorResponses(400, 401, 403, 429),
        },
      },
    },
    async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      for (const key of Object.keys(query)) {
        if (key !== 'since' && key !== 'limit')
          throw new ApiError('INVALID_QUERY', { name: key, detail: 'unknown parameter' });
      }
      const limit = parseLimit(query.limit);
      if (query.since !== undefined && typeof query.since !== 'string') {
        throw new ApiError('INVALID_QUERY', { name: 'since', detail: 'give it once' });
      }
      const cursor = query.since === undefined || query.since === '' ? null : decodeCursor(query.since, config.replica);
      const page = await readLogPage({
        dir: config.logDir,
        replica: config.replica,
        cursor,
        limit,
        maxBytes: MAX_PAGE_BYTES,
      });
      if (page.nextCursor !== null) reply.header('x-next-cursor', page.nextCursor);
      reply.header('x-has-more', String(page.hasMore));
      reply.header('x-record-count', String(page.records));
      reply.header('x-vigie-replica', config.replica);
      return reply.type('application/x-ndjson; charset=utf-8').send(page.body);
    },
  );

  app.get(
    '/v1/logs/files',
    {
      config: { auth: 'admin' },
      schema: {
        summary: "This replica's closed log files (the file being written is left out)",
        security: [{ bearer: [] }],
        response: {
          200: {
            type: 'object',
            properties: {
              replica: { type: 'string' },
              open_file: { type: 'string', nullable: true },
              files: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    name: { type: 'string' },
                    day: { type: 'string' },
                    part: { type: 'integer' },
                    gzip: { type: 'boolean' },
                    size: { type: 'integer' },
                    modified: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
          ...errorResponses(401, 403, 429),
        },
      },
    },
    async () => {
      const open = context.writer.currentFileName();
      const files = (await listLogFiles(config.logDir, config.replica)).filter((file) => file.name !== open);
      return { replica: config.replica, open_file: open, files };
    },
  );

  app.get(
    '/v1/logs/files/:name',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Download one closed log file (.jsonl or .jsonl.gz) as stored',
        security: [{ bearer: [] }],
        params: { type: 'object', properties: { name: { type: 'string' } } },
        response: {
          200: {
            description: 'The file',
            content: {
              'application/gzip': { schema: { type: 'string', format: 'binary' } },
              'application/x-ndjson': { schema: { type: 'string' } },
            },
          },
          ...errorResponses(400, 401, 403, 404, 409, 429),
        },
      },
    },
    async (request, reply) => {
      const name = (request.params as { name: string }).name;
      const parsed = parseLogFileName(name);
      // The pattern admits no "/", "\\" or "..", so a valid name cannot leave the log folder.
      if (parsed === null || parsed.replica !== config.replica || path.basename(name) !== name) {
        throw new ApiError('INVALID_FILE_NAME', { name: JSON.stringify(name.slice(0, 100)) });
      }
      if (name === context.writer.currentFileName()) throw new ApiError('FILE_STILL_OPEN', { name });
      const file = path.join(config.logDir, name);
      let size: number;
      try {
        const info = await stat(file);
        if (!info.isFile()) throw new Error('not a file');
        size = info.size;
      } catch {
        throw new ApiError('NOT_FOUND', {
          what: `log file ${name} (it may have been compressed: list the files again)`,
        });
      }
      reply.header('content-length', String(size));
      reply.header('content-disposition', `attachment; filename="${name}"`);
      reply.type(parsed.gzip ? 'application/gzip' : 'application/x-ndjson; charset=utf-8');
      return reply.send(createReadStream(file));
    },
  );
}
