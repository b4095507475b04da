import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleServer, type ConsoleServer } from '../../electron/headless/server.ts';
import { tempConsole, writeLogFile } from './helpers.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests can send any Host and Origin header. */
function send(
  server: ConsoleServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

// One server for the file: starting the backend worker costs a second or two; the tests that import data come last.
describe('HTTP adapter over the real backend', () => {
  let fixture: ReturnType<typeof tempConsole>;
  let server: ConsoleServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    fixture = tempConsole();
    const staticDir = join(fixture.dir, 'static');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(fixture.dir, 'secret.txt'), 'secret');
    const { persistentVault: _vault, ...backend } = fixture.config;
    server = await startConsoleServer({ host: '127.0.0.1', port: 0, backend, staticDir });
    auth = { Authorization: `Bearer ${server.token}` };
  });

  afterAll(async () => {
    await server.close();
    fixture.cleanup();
  });

  const call = (method: string, input: unknown, headers: Record<string, string> = auth) =>
    send(server, `/api/call/${method}`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ input }),
    });

  it('answers a call with the token', async () => {
    const reply = await call('listSources', {});
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { sources: [], bounds: null, records: 0 } });
  });

  it('refuses a call without the token', async () => {
    const reply = await call('listSources', {}, {});
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body).error.code).toBe('NOT_AUTHORIZED');
  });

  it('refuses a call with a wrong token of the same length', async () => {
    const wrong = server.token.replace(/./, (c) => (c === 'a' ? 'b' : 'a'));
    expect((await call('listSources', {}, { Authorization: `Bearer ${wrong}` })).status).toBe(401);
  });

  it('refuses a Host header that is not loopback, as a DNS-rebinding page would send', async () => {
    const reply = await call('listSources', {}, { ...auth, Host: `evil.example:${new URL(server.url).port}` });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body).error.code).toBe('FORBIDDEN_ORIGIN');
  });

  it('refuses a cross-origin request', async () => {
    const reply = await call('listSources', {}, { ...auth, Origin: 'http://evil.example' });
    expect(reply.status).toBe(403);
  });

  it('moves the token from the URL into an HttpOnly cookie that then authorises calls', async () => {
    const reply = await send(server, `/?token=${server.token}`);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    const cookie = String(reply.headers['set-cookie']).split(';')[0]!;
    expect(String(reply.headers['set-cookie'])).toContain('HttpOnly');
    expect((await call('listSources', {}, { Cookie: cookie })).status).toBe(200);
  });

  it('serves the page with a strict content security policy', async () => {
    const reply = await send(server, '/', { headers: auth });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.headers['x-frame-options']).toBe('DENY');
  });

  it('never serves a file outside the page folder', async () => {
    const reply = await send(server, '/..%2fsecret.txt', { headers: auth });
    expect(reply.body).not.toContain('secret');
  });

  it('answers invalid input with 400 and the issues', async () => {
    const reply = await call('overview', { bucket: 'fortnight' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error.issues).toEqual([
      expect.objectContaining({ path: 'bucket', code: 'not_allowed' }),
    ]);
  });

  it('answers an unknown method with 404', async () => {
    expect((await call('dropTables', {})).status).toBe(404);
  });

  it('answers a body that is not JSON with 400', async () => {
    const reply = await send(server, '/api/call/listSources', { method: 'POST', headers: auth, body: '{' });
    expect(reply.status).toBe(400);
  });

  it('answers an empty store with STORE_EMPTY and what to do', async () => {
    const reply = await call('overview', {});
    expect(reply.status).toBe(409);
    expect(JSON.parse(reply.body).error.message).toContain('load the demo data');
  });

  it('imports an uploaded file and quarantines its bad lines', async () => {
    const file = writeLogFile(fixture.dir, 'upload.jsonl', 20, ['{not json', '[1]']);
    const reply = await send(server, '/api/upload?name=upload.jsonl', {
      method: 'POST',
      headers: auth,
      body: readFileSync(file),
    });
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { inserted: 20, quarantined: 2 } });
    const quarantine = JSON.parse((await call('listQuarantine', {})).body).value;
    expect(quarantine.rows.map((r: { reason: string; line: number }) => [r.reason, r.line])).toEqual([
      ['truncated_line', 21],
      ['not_object', 22],
    ]);
  });

  it('streams progress events to an event-stream client', async () => {
    const file = writeLogFile(fixture.dir, 'events.jsonl', 10);
    const events: string[] = [];
    const stream = request(new URL('/api/events', server.url), { headers: auth });
    const connected = new Promise<void>((resolve) => {
      stream.on('response', (res) => {
        res.on('data', (chunk: Buffer) => {
          events.push(chunk.toString());
          resolve();
        });
      });
    });
    stream.end();
    await connected;
    await call('importFiles', { paths: [file] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    stream.destroy();
    expect(events.join('')).toContain('"type":"data-changed"');
  });
});
