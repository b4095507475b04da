import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeepAliveClient } from '../../server/keep-alive-client.ts';

let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

async function listen(handler: http.RequestListener): Promise<URL> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/score`);
}

describe('KeepAliveClient', () => {
  it('sends the body and headers, reads sized, chunked and closing answers, and reuses connections', async () => {
    const seen: Array<{ body: string; auth: string | undefined }> = [];
    let n = 0;
    const url = await listen((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ body, auth: request.headers.authorization });
        n += 1;
        if (n === 2) {
          response.writeHead(201);
          response.write('part one, ');
          response.end('part two');
        } else if (n === 3) {
          response.writeHead(503, { connection: 'close' });
          response.end('{"code":"SHUTTING_DOWN"}');
        } else {
          response.end('{"ok":true}');
        }
      });
    });
    const client = new KeepAliveClient(url.hostname, Number(url.port), 4);
    const request = KeepAliveClient.post(url, { authorization: 'Bearer k' }, '{"a":"é"}');
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await client.request(request))?.status);
    client.close();
    expect(statuses).toEqual([200, 201, 503, 200, 200]);
    expect(seen.every((s) => s.body === '{"a":"é"}' && s.auth === 'Bearer k')).toBe(true);
    // One connection, then a new one after the server closed it.
    expect(client.opened).toBe(2);
  });

  it('answers null when the connection dies before a whole answer', async () => {
    const url = await listen((request) => request.socket.destroy());
    const client = new KeepAliveClient(url.hostname, Number(url.port), 1);
    expect(await client.request(KeepAliveClient.post(url, {}, '{}'))).toBeNull();
    client.close();
  });
});
