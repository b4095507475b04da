import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, auth, fakeServer, removeDir, tempDir, validApplicant } from './helpers.ts';

let dir = '';
let app: FastifyInstance | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
  removeDir(dir);
});

const admin = auth(ADMIN_KEY);
const record = (id: string) =>
  `${JSON.stringify({ format_version: 1, request_id: id, ts: '2026-11-20T10:00:00.000Z' })}\n`;

/** Closed files a previous run left: two days, one compressed, one with a line a crash cut short. */
function seedClosedFiles(logDir: string): void {
  mkdirSync(logDir, { recursive: true });
  writeFileSync(path.join(logDir, 'predictions-test-0-2026-11-19.jsonl.gz'), gzipSync(record('a1') + record('a2')));
  writeFileSync(path.join(logDir, 'predictions-test-0-2026-11-20.jsonl'), record('b1') + record('b2').slice(0, 20));
  writeFileSync(path.join(logDir, 'predictions-other-2026-11-20.jsonl'), record('not-mine'));
}

async function start(seed = false) {
  dir = tempDir();
  if (seed) seedClosedFiles(path.join(dir, 'logs'));
  app = await fakeServer(dir, {}, { VIGIE_LOG_GZIP: 'false' });
  return app;
}

async function score(server: FastifyInstance, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const response = await server.inject({
      method: 'POST',
      url: '/v1/score',
      headers: auth(),
      payload: validApplicant(),
    });
    ids.push(response.json().request_id);
  }
  return ids;
}

function requestIdOrPartial(line: string): string {
  try {
    return JSON.parse(line).request_id;
  } catch {
    return 'partial';
  }
}

async function pullAll(server: FastifyInstance, limit: number, since?: string) {
  const ids: string[] = [];
  let cursor = since;
  for (let page = 0; page < 100; page += 1) {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { since: cursor } : {}) });
    const response = await server.inject({ method: 'GET', url: `/v1/logs?${query}`, headers: admin });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = response.body.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeLessThanOrEqual(limit);
    ids.push(...lines.map(requestIdOrPartial));
    cursor = response.headers['x-next-cursor'] as string;
    if (response.headers['x-has-more'] === 'false') return { ids, cursor };
  }
  throw new Error('paging did not end');
}

describe('GET /v1/logs', () => {
  it('pages through every record once, in write order, with the cursor of the previous page', async () => {
    const server = await start();
    const ids = await score(server, 7);
    const pulled = await pullAll(server, 3);
    expect(pulled.ids).toEqual(ids);
  });

  it('resumes from the last cursor and returns only newer records', async () => {
    const server = await start();
    const first = await score(server, 2);
    const { cursor, ids } = await pullAll(server, 10);
    expect(ids).toEqual(first);
    const later = await score(server, 3);
    const next = await pullAll(server, 10, cursor);
    expect(next.ids).toEqual(later);
    const empty = await server.inject({ method: 'GET', url: `/v1/logs?since=${next.cursor}`, headers: admin });
    expect(empty.body).toBe('');
  });

  it.each([1, 2, 1000])(
    'reads across rotated and gzipped files and hands over a crash-truncated line, %i record(s) a page',
    async (limit) => {
      const server = await start(true);
      const ids = await score(server, 2);
      expect((await pullAll(server, limit)).ids).toEqual(['a1', 'a2', 'b1', 'partial', ...ids]);
    },
  );

  it('goes on with the next file when the cursor points into a file deleted since', async () => {
    const server = await start(true);
    const ids = await score(server, 1);
    const cursor = 'test-0:2026-11-19:0:10';
    rmSync(path.join(dir, 'logs', 'predictions-test-0-2026-11-19.jsonl.gz'));
    expect((await pullAll(server, 10, cursor)).ids).toEqual(['b1', 'partial', ...ids]);
  });

  it('omits the cursor header only when the log is empty and no cursor was given', async () => {
    const response = await (await start()).inject({ method: 'GET', url: '/v1/logs', headers: admin });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-next-cursor']).toBeUndefined();
    expect(response.headers['x-has-more']).toBe('false');
  });

  it.each([
    ['limit=0', 'INVALID_QUERY'],
    ['limit=abc', 'INVALID_QUERY'],
    ['limit=10001', 'INVALID_QUERY'],
    ['page=2', 'INVALID_QUERY'],
    ['since=garbage', 'INVALID_CURSOR'],
    ['since=other-replica:2026-11-21:0:0', 'INVALID_CURSOR'],
    ['since=../../etc:2026-11-21:0:0', 'INVALID_CURSOR'],
  ])('refuses %s with 400 %s', async (query, code) => {
    const response = await (await start()).inject({ method: 'GET', url: `/v1/logs?${query}`, headers: admin });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe(code);
  });
});

describe('GET /v1/logs/files', () => {
  it("lists this replica's closed files and leaves out the open one and other replicas'", async () => {
    const server = await start(true);
    await score(server, 1);
    const response = await server.inject({ method: 'GET', url: '/v1/logs/files', headers: admin });
    const body = response.json();
    expect(body.files.map((f: { name: string }) => f.name)).toEqual([
      'predictions-test-0-2026-11-19.jsonl.gz',
      'predictions-test-0-2026-11-20.jsonl',
    ]);
    expect(body.open_file).toMatch(/^predictions-test-0-\d{4}-\d{2}-\d{2}\.jsonl$/);
    expect(body.files[0]).toMatchObject({ day: '2026-11-19', part: 0, gzip: true, size: expect.any(Number) });
  });

  it('downloads a closed file byte for byte with its content type', async () => {
    const server = await start(true);
    const response = await server.inject({
      method: 'GET',
      url: '/v1/logs/files/predictions-test-0-2026-11-19.jsonl.gz',
      headers: admin,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/gzip');
    expect(response.rawPayload).toEqual(gzipSync(record('a1') + record('a2')));
  });

  it('answers 409 FILE_STILL_OPEN for the file being written', async () => {
    const server = await start();
    await score(server, 1);
    const open = (await server.inject({ method: 'GET', url: '/v1/logs/files', headers: admin })).json().open_file;
    const response = await server.inject({ method: 'GET', url: `/v1/logs/files/${open}`, headers: admin });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('FILE_STILL_OPEN');
  });

  it.each([
    ['..%2F..%2Fetc%2Fpasswd', 400],
    ['%2Fetc%2Fpasswd', 400],
    ['predictions-test-0-2026-11-19.jsonl.gz%00.txt', 400],
    ['..%5Cpredictions-test-0-2026-11-19.jsonl', 400],
    ['predictions-other-2026-11-20.jsonl', 400],
    ['secrets.txt', 400],
    ['predictions-test-0-2026-01-01.jsonl', 404],
  ])('refuses the file name %s with %i', async (name, status) => {
    const server = await start(true);
    appendFileSync(path.join(dir, 'secrets.txt'), 'top secret');
    const response = await server.inject({ method: 'GET', url: `/v1/logs/files/${name}`, headers: admin });
    expect(response.statusCode).toBe(status);
    expect(response.body).not.toContain('top secret');
    expect(response.body).not.toContain('root:');
  });

  it('answers 403 to a scoring key', async () => {
    const response = await (await start(true)).inject({ method: 'GET', url: '/v1/logs/files', headers: auth() });
    expect(response.statusCode).toBe(403);
  });
});
