import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for the API's GET /v1/logs with its cursor protocol (X-Next-Cursor, X-Has-More). */
export interface FakeApi {
  url: string;
  lines: string[];
  /** Statuses to answer before serving pages normally (one per request). */
  failures: number[];
  requests: Array<{ since: string | null; limit: number; auth: string | undefined }>;
  close(): Promise<void>;
}

export async function startApi(lines: string[]): Promise<FakeApi> {
  const api = { lines, failures: [] as number[], requests: [] as FakeApi['requests'] } as FakeApi;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const since = url.searchParams.get('since');
    const limit = Number(url.searchParams.get('limit') ?? 1000);
    api.requests.push({ since, limit, auth: request.headers.authorization });
    const failure = api.failures.shift();
    if (failure) {
      response.writeHead(failure, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'INTERNAL_ERROR', message: 'boom', request_id: 'x' }));
      return;
    }
    if (url.pathname !== '/v1/logs') {
      response.writeHead(404).end();
      return;
    }
    if (request.headers.authorization === 'Bearer score-key') {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'FORBIDDEN', message: 'this route needs an admin key', request_id: 'x' }));
      return;
    }
    if (request.headers.authorization !== 'Bearer admin-key') {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"UNAUTHENTICATED"}');
      return;
    }
    const start = since === null ? 0 : Number(since.replace('c', ''));
    const end = Math.min(api.lines.length, start + limit);
    response.writeHead(200, {
      'content-type': 'application/x-ndjson',
      'x-next-cursor': `c${end}`,
      'x-has-more': String(end < api.lines.length),
    });
    response.end(
      api.lines
        .slice(start, end)
        .map((l) => `${l}\n`)
        .join(''),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () => new Promise((resolve) => server.close(() => resolve()));
  return api;
}
