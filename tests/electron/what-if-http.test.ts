import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleServer, type ConsoleServer } from '../../electron/headless/server.ts';
import { tempConsole } from './helpers.ts';

function send(server: ConsoleServer, path: string, options: { method?: string; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request(
      new URL(path, server.url),
      { method: options.method ?? 'GET', headers: { Authorization: `Bearer ${server.token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('batch scoring through the browser shell', () => {
  let fixture: ReturnType<typeof tempConsole>;
  let server: ConsoleServer;

  beforeAll(async () => {
    fixture = tempConsole();
    const { persistentVault: _vault, ...backend } = fixture.config;
    server = await startConsoleServer({
      host: '127.0.0.1',
      port: 0,
      backend: { ...backend, modelsDir: 'models' },
      staticDir: null,
    });
  });
  afterAll(async () => {
    await server.close();
    fixture.cleanup();
  });

  it('scores an uploaded JSONL file and serves the scored file for download', async () => {
    const golden = readFileSync('models/credit-default/1/golden.jsonl', 'utf8').split('\n').slice(0, 3).join('\n');
    const upload = await send(server, '/api/upload?purpose=score&name=few.jsonl&model=challenger&format=jsonl', {
      method: 'POST',
      body: `${golden}\nnot json\n`,
    });
    expect(upload.status).toBe(200);
    const result = JSON.parse(upload.body) as {
      value: {
        rows: number;
        invalid: number;
        invalidRows: Array<{ line: number }>;
        download: { id: string; name: string };
      };
    };
    expect(result.value).toMatchObject({ rows: 4, invalid: 1, invalidRows: [{ line: 4, code: 'INVALID_JSON' }] });
    const { id, name } = result.value.download;
    expect(name).toBe('few-scored.jsonl');
    const download = await send(server, `/api/scored?id=${id}&name=${name}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${name}"`);
    const lines = download.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4]);
    expect(lines[0]).toMatchObject({ model_version: '3', decision: expect.stringMatching(/approve|refuse/) });
  });

  it('refuses a download outside the scored files, and names a scored file that is gone', async () => {
    const traversal = await send(server, '/api/scored?id=../../etc&name=passwd');
    expect(traversal.status).toBe(400);
    expect(JSON.parse(traversal.body)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    const sneaky = await send(server, `/api/scored?id=${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}&name=../x.csv`);
    expect(sneaky.status).toBe(400);
    const gone = await send(server, `/api/scored?id=${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}&name=x.csv`);
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.body)).toMatchObject({
      error: { code: 'FILE_NOT_FOUND', message: expect.stringContaining('x.csv') },
    });
  });
});
