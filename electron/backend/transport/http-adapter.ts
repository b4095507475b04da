/**
 * The browser transport: the console API over HTTP JSON, for a page served by the same server on loopback.
 * Every request needs the per-launch token (cookie set from the printed URL, or a bearer header), a loopback Host
 * and, when sent, a same-origin Origin. Progress events go out as Server-Sent Events.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CONSOLE_ERRORS, ConsoleError, isConsoleErrorCode } from '../../../console-api/errors.ts';
import type { CallResult, ConsoleEvent } from '../../../console-api/types.ts';
import { METHOD_NAMES } from '../../../console-api/types.ts';
import { isAllowedOrigin, SECURITY_HEADERS, tokensMatch } from './security.ts';
import { serveStatic } from './static-files.ts';

/** The keys of a method call's body: the method's arguments and an optional operation id. */
const BODY_KEYS: ReadonlySet<string> = new Set(['input', 'operationId']);

export interface ConsoleCaller {
  call(method: string, input: unknown, operationId?: string): Promise<CallResult<unknown>>;
  onEvent(listener: (event: ConsoleEvent) => void): () => void;
}

export interface HttpAdapterOptions {
  caller: ConsoleCaller;
  token: string;
  /** Host:port names accepted in the Host header (see allowedHostNames). */
  hosts: () => Set<string>;
  /** The built renderer; null serves the API only. */
  staticDir: string | null;
  /** Where uploaded log files and exported reports are written before the backend reads or sends them. */
  workDir: string;
  /** Largest JSON body accepted, bytes. @default 1 MiB */
  maxJsonBytes?: number;
  /** Largest uploaded log file, bytes. @default 8 GiB */
  maxUploadBytes?: number;
}

const COOKIE = 'vigie_token';
const OPERATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: ConsoleError): void {
  sendJson(res, error.status, { ok: false, error: error.toBody() });
}

function sendResult(res: ServerResponse, result: CallResult<unknown>): void {
  const status = result.ok
    ? 200
    : isConsoleErrorCode(result.error.code)
      ? CONSOLE_ERRORS[result.error.code].status
      : 500;
  sendJson(res, status, result);
}

function tokenFrom(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return url.searchParams.get('token');
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ConsoleError('PAYLOAD_TOO_LARGE', `over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ConsoleError('INVALID_INPUT', 'the body is not valid JSON');
  }
}

function safeFileName(name: string): string {
  const cleaned = basename(name)
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 120);
  return cleaned === '' || cleaned.startsWith('.') ? `upload${cleaned}` : cleaned;
}

export function createHttpHandler(options: HttpAdapterOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { caller, token, staticDir, workDir } = options;
  const maxJson = options.maxJsonBytes ?? 1_048_576;
  const maxUpload = options.maxUploadBytes ?? 8 * 1024 ** 3;
  const uploads = join(workDir, 'uploads');
  const exports = join(workDir, 'exports');

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    const unsubscribe = caller.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    // A comment every 15 s keeps proxies and idle timers from closing a quiet stream.
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > maxUpload) throw new ConsoleError('PAYLOAD_TOO_LARGE', `over ${maxUpload} bytes`);
    const operationId = url.searchParams.get('operationId') ?? randomUUID();
    if (!OPERATION_ID.test(operationId)) throw new ConsoleError('INVALID_INPUT', 'operationId has an invalid format');
    const folder = join(uploads, randomUUID());
    mkdirSync(folder, { recursive: true });
    const file = join(folder, safeFileName(url.searchParams.get('name') ?? 'upload.jsonl'));
    try {
      await pipeline(req, createWriteStream(file));
      if (url.searchParams.get('purpose') === 'score')
        return sendResult(res, await scoreUpload(file, url, operationId));
      sendResult(res, await caller.call('importFiles', { paths: [file] }, operationId));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  /** An uploaded file for the Batch scoring tab: scored by the model the query names, in the format it names. */
  function scoreUpload(file: string, url: URL, operationId: string): Promise<CallResult<unknown>> {
    const input: Record<string, string> = { path: file, name: url.searchParams.get('name') ?? basename(file) };
    for (const key of ['model', 'format'] as const) {
      const value = url.searchParams.get(key);
      if (value !== null) input[key] = value;
    }
    return caller.call('batchScore', input, operationId);
  }

  /** A scored file of the Batch scoring tab: `<work>/scored/<uuid>/<name>`, nothing else. */
  async function downloadScored(res: ServerResponse, url: URL): Promise<void> {
    const id = url.searchParams.get('id') ?? '';
    const name = url.searchParams.get('name') ?? '';
    if (!/^[0-9a-f-]{36}$/.test(id) || safeFileName(name) !== name) {
      throw new ConsoleError('INVALID_INPUT', 'the scored file id or name has an invalid format');
    }
    const file = join(workDir, 'scored', id, name);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      throw new ConsoleError('FILE_NOT_FOUND', `the scored file ${name} (the console may have restarted)`);
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Length': String(size),
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    });
    await pipeline(createReadStream(file), res);
  }

  async function downloadReport(res: ServerResponse, url: URL): Promise<void> {
    const format = url.searchParams.get('format') === 'json' ? 'json' : 'html';
    const range: Record<string, number> = {};
    for (const bound of ['from', 'to'] as const) {
      const raw = url.searchParams.get(bound);
      if (raw !== null && raw !== '') range[bound] = Number(raw);
    }
    const folder = join(exports, randomUUID());
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `vigie-drift-report.${format}`);
    try {
      const result = await caller.call('exportReport', { range, format, path: file });
      if (!result.ok) return sendResult(res, result);
      const { size } = await stat(file);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': format === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
        'Content-Length': String(size),
        'Content-Disposition': `attachment; filename="vigie-drift-report.${format}"`,
        'Cache-Control': 'no-store',
      });
      await pipeline(createReadStream(file), res);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hosts = options.hosts();
    const host = (req.headers.host ?? '').toLowerCase();
    if (!hosts.has(host)) throw new ConsoleError('FORBIDDEN_ORIGIN', `host "${host.slice(0, 100)}"`);
    const origin = req.headers.origin;
    if (!isAllowedOrigin(origin, hosts))
      throw new ConsoleError('FORBIDDEN_ORIGIN', `origin "${String(origin).slice(0, 100)}"`);
    const url = new URL(req.url ?? '/', `http://${host}`);
    const given = tokenFrom(req, url);
    if (given === null || !tokensMatch(given, token)) throw new ConsoleError('NOT_AUTHORIZED');

    if (url.searchParams.has('token') && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      // The token moves from the URL into an HttpOnly cookie so it leaves the address bar and history.
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }

    const method = req.method ?? 'GET';
    if (url.pathname === '/api/events' && method === 'GET') return events(req, res);
    if (url.pathname === '/api/upload' && method === 'POST') return upload(req, res, url);
    if (url.pathname === '/api/report' && method === 'GET') return downloadReport(res, url);
    if (url.pathname === '/api/scored' && method === 'GET') return downloadScored(res, url);
    const call = /^\/api\/call\/([A-Za-z]{1,64})$/.exec(url.pathname);
    if (call && method === 'POST') {
      const name = call[1]!;
      if (!(METHOD_NAMES as readonly string[]).includes(name)) throw new ConsoleError('UNKNOWN_METHOD', name);
      const body = (await readJson(req, maxJson)) as { input?: unknown; operationId?: unknown };
      // Arguments sent beside "input" instead of in it would be dropped silently (a `wait: true` ignored).
      const stray = body && typeof body === 'object' ? Object.keys(body).filter((k) => !BODY_KEYS.has(k)) : [];
      if (stray.length > 0) {
        throw new ConsoleError(
          'INVALID_INPUT',
          `unexpected ${stray.map((k) => `"${k}"`).join(', ')} in the request body: send {"input": {…the method's arguments…}}`,
        );
      }
      const operationId = body.operationId ?? randomUUID();
      if (typeof operationId !== 'string' || !OPERATION_ID.test(operationId)) {
        throw new ConsoleError('INVALID_INPUT', 'operationId has an invalid format');
      }
      return sendResult(res, await caller.call(name, body.input ?? {}, operationId));
    }
    if (url.pathname.startsWith('/api/')) throw new ConsoleError('UNKNOWN_METHOD', url.pathname.slice(0, 100));
    if (method !== 'GET' && method !== 'HEAD')
      throw new ConsoleError('INVALID_INPUT', `${method} is not supported here`);
    if (!staticDir) throw new ConsoleError('UNKNOWN_METHOD', url.pathname.slice(0, 100));
    serveStatic(staticDir, url.pathname, res, SECURITY_HEADERS);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const consoleError =
        error instanceof ConsoleError ? error : new ConsoleError('INTERNAL', (error as Error)?.message ?? 'unknown');
      if (consoleError.code === 'NOT_AUTHORIZED' && (req.headers.accept ?? '').includes('text/html')) {
        res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`${consoleError.message}\n`);
        return;
      }
      sendError(res, consoleError);
    });
  };
}
