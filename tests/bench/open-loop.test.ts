import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openLoop, warmUpGenerator } from '../../bench/open-loop.ts';

let server: http.Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

async function listen(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/score`;
}

describe('openLoop', () => {
  it('sends rate × duration requests whatever the answers, and counts every non-200 answer as an error', async () => {
    const bodies: string[] = [];
    let seen = 0;
    const url = await listen((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push(body);
        seen += 1;
        response.statusCode = seen % 10 === 0 ? 500 : 200;
        response.end('{}');
      });
    });
    const figures = await openLoop({ url, bodies: ['{"a":1}', '{"b":2}'], headers: {}, rate: 200, durationS: 0.5 });
    expect(figures).toMatchObject({ sent: 100, completed: 100, errors: 10 });
    expect(new Set(bodies)).toEqual(new Set(['{"a":1}', '{"b":2}']));
    expect(figures.p99_by_second_ms).toHaveLength(1);
    expect(figures.generator_cpu_us_per_request).toBeGreaterThan(0);
  });

  it('warms the generator against a sink of its own, sending nothing to the server under test', async () => {
    let seen = 0;
    await listen((request, response) => {
      seen += 1;
      response.end('{}');
    });
    await warmUpGenerator({ bodies: ['{"a":1}'], headers: {}, rate: 200, durationS: 0.2 });
    expect(seen).toBe(0);
  });
});
