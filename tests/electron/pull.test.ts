import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../electron/backend/api/methods.ts';
import { createServices, type Services } from '../../electron/backend/services.ts';
import { logRecord, tempConsole } from './helpers.ts';

/** Stands in for the scoring API's GET /v1/logs: NDJSON pages, admin key checked, cursor in X-Next-Cursor. */
function logsApi(key: string, records: unknown[]): Server {
  return createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${key}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"UNAUTHORIZED"}}');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const since = Number(url.searchParams.get('since') ?? 0);
    const page = records.slice(since, since + 50);
    res.writeHead(200, {
      'content-type': 'application/x-ndjson',
      'x-next-cursor': String(since + page.length),
      'x-has-more': String(since + page.length < records.length),
    });
    res.end(page.map((r) => `${JSON.stringify(r)}\n`).join(''));
  });
}

describe('pulling from the scoring API', () => {
  let fixture: ReturnType<typeof tempConsole>;
  let services: Services;
  let api: Server;
  let url: string;

  beforeEach(async () => {
    fixture = tempConsole();
    services = createServices(fixture.config, null, () => {});
    const start = Date.UTC(2026, 10, 20);
    api = logsApi(
      'admin-key-1',
      Array.from({ length: 120 }, (_, i) => logRecord(i, start + i * 60_000)),
    );
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    services.close();
    await new Promise((resolve) => api.close(resolve));
    fixture.cleanup();
  });

  const dispatcher = () => createDispatcher(METHODS, services, () => {});

  it('pulls every page with the key stored for the endpoint', async () => {
    const consoleApi = dispatcher();
    await consoleApi.call('s', 'setSettings', { endpoint: { id: 'prod', url, key: 'admin-key-1' } });
    const result = await consoleApi.call('p', 'pullFromApi', { url, endpointId: 'prod' });
    expect(result).toMatchObject({ ok: true, value: { inserted: 120, cursor: '120' } });
  });

  it('stops with PULL_FAILED in plain words when the API refuses the key, saying where the admin key is', async () => {
    const result = await dispatcher().call('p', 'pullFromApi', { url, key: 'wrong' });
    expect(result).toMatchObject({ ok: false, error: { code: 'PULL_FAILED' } });
    expect(JSON.stringify(result)).toContain("refused the admin key (401): enter the API's admin key and save");
    expect(JSON.stringify(result)).toContain('cat var/admin-key where the API runs');
    expect(JSON.stringify(result)).not.toContain('wrong');
    expect(JSON.stringify(result)).not.toContain('--key');
  });

  it('leaves no "partial" history row after a pull that failed before its first page', async () => {
    const consoleApi = dispatcher();
    await consoleApi.call('p', 'pullFromApi', { url, key: 'wrong' });
    const sources = await consoleApi.call('l', 'listSources', {});
    expect(sources).toMatchObject({ ok: true, value: { sources: [] } });
  });

  it("says a dead port cannot be reached, in the form's terms, after two tries", async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    const result = await dispatcher().call('p', 'pullFromApi', { url: `http://127.0.0.1:${port}`, key: 'k' });
    expect(result).toMatchObject({ ok: false, error: { code: 'PULL_FAILED' } });
    expect(JSON.stringify(result)).toMatch(
      /cannot reach http:\/\/127\.0\.0\.1:\d+ \(.*\): check that the API is running/,
    );
  });

  it('says an address that is not a Vigie API is not one, instead of quarantining its web page', async () => {
    const web = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const other = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    try {
      const result = await dispatcher().call('p', 'pullFromApi', { url: other, key: 'k' });
      expect(JSON.stringify(result)).toContain('is not a Vigie scoring API');
      expect(services.store.catalog.quarantineByReason()).toEqual({});
    } finally {
      await new Promise((resolve) => web.close(resolve));
    }
  });

  it('asks for a key when none is stored for the endpoint', async () => {
    const result = await dispatcher().call('p', 'pullFromApi', { url, endpointId: 'unknown' });
    expect(result).toMatchObject({ ok: false, error: { code: 'PULL_FAILED' } });
  });
});
