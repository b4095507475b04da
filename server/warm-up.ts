/**
 * Warms the request path before /ready says yes: the champion's golden applicants go through what a scoring request
 * does on the main thread (JSON parse of the body, the keyed hash of SK_ID_CURR, validation with the model's schema,
 * the engine's lone-applicant and micro-batch paths, the response body, the log record) so the first real requests
 * run optimised code on warm workers instead of paying for it (decision 1614). Once the server listens, the lone
 * requests go to POST /v1/score itself over loopback (decision 1624), shaped as a client's, so that Node's HTTP parser
 * and writer, Fastify's hooks, the key check, the rate limiter and the route are warm too: their bearer token is a
 * secret of this process that exists only while the warm-up runs, and the hooks neither record nor count them.
 *
 * Nothing of it is production traffic: no record reaches the production log (the line is built and dropped), no
 * request metric moves, the challengers never see it. The engine observer is muted meanwhile by the caller.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatLogLine, type Applicant } from '../core/contract/index.ts';
import type { ScoringEngine } from '../core/engine/index.ts';
import { KeepAliveClient } from './keep-alive-client.ts';
import { buildRecord, type ItemOutcome } from './request-record.ts';
import { forgetIds, scoreBody } from './routes/score-body.ts';

/** A new warm-up secret: 192 random bits, never logged, forgotten when the warm-up ends. */
export function warmUpSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** Whether an Authorization header is `Bearer <secret>` (compared in constant time). */
export function carriesSecret(header: string | undefined, secret: string): boolean {
  if (header === undefined || header.length > 1024) return false;
  const presented = Buffer.from(header);
  const expected = Buffer.from(`Bearer ${secret}`);
  // Byte lengths: a header of other characters may have as many characters as the token and more bytes.
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/**
 * POST /v1/score of the listening server, over one kept-alive loopback connection, as a plain HTTP/1.1 client writes
 * it: `host`, then the request's own headers, then `content-length`, in one write (keep-alive-client.ts). Not through
 * `http.request`, whose requests carry other headers in another order (`Connection: keep-alive` among them): the
 * objects Node and Fastify build from a request's headers then have other shapes than a client's, and the code warmed
 * on them was optimised again, or deoptimised, under the first real traffic (decision 1624, measured in 1625).
 */
export class LoopbackClient {
  private readonly client: KeepAliveClient;
  private readonly target: URL;
  private readonly headers: Record<string, string>;

  constructor(address: AddressInfo, secret: string) {
    const any = address.address === '0.0.0.0' || address.address === '::';
    const host = any ? (address.family === 'IPv6' ? '::1' : '127.0.0.1') : address.address;
    this.client = new KeepAliveClient(host, address.port, 1);
    this.target = new URL(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}/v1/score`);
    this.headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
  }

  /** Sends one body; resolves with the status once the answer is read (0 when the request failed). */
  async post(body: string): Promise<number> {
    const answer = await this.client.request(KeepAliveClient.post(this.target, this.headers, body));
    return answer?.status ?? 0;
  }

  close(): void {
    this.client.close();
  }
}

export interface WarmUpOptions {
  /** Lone requests, one after the other (the path of a lightly loaded API). @default 1500 */
  lone?: number;
  /** Rounds of concurrent requests (the micro-batcher's path). @default 20 */
  bursts?: number;
  /** Requests in flight in each burst. @default 16 */
  burstSize?: number;
  pseudonymise(id: unknown): string | null;
  replica: string;
  /** The loopback client once the server listens (the lone requests then go over HTTP), else null. */
  loopback?: () => LoopbackClient | null;
}

export interface WarmUpReport {
  requests: number;
  /** Of them, sent to the listening server over loopback. */
  overHttp: number;
  ms: number;
}

/** The bodies of the champion's golden applicants, as a client would send them. */
async function goldenBodies(engine: ScoringEngine): Promise<string[]> {
  const champion = engine.describe().models.find((model) => model.role === 'champion');
  if (!champion) return [];
  const text = await readFile(path.join(champion.dir, 'golden.jsonl'), 'utf8');
  const bodies: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const input = (JSON.parse(line) as { input?: unknown }).input;
    if (typeof input === 'object' && input !== null) bodies.push(JSON.stringify(input));
  }
  return bodies;
}

async function oneRequest(engine: ScoringEngine, body: string, index: number, options: WarmUpOptions): Promise<void> {
  const receivedAt = Date.now();
  const started = performance.now();
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const requestId = `warm-up-${index}`;
  const item: ItemOutcome = {
    requestId,
    applicantRef: options.pseudonymise(parsed.SK_ID_CURR),
    input: null,
    result: null,
    error: null,
  };
  const validation = engine.schema.validate(parsed);
  if (!validation.ok) return;
  item.input = validation.value;
  item.result = await engine.score(validation.value as Applicant);
  forgetIds([validation.value as Applicant]);
  JSON.stringify({
    request_id: requestId,
    ...scoreBody(item.result, undefined),
    timestamp: new Date(receivedAt).toISOString(),
  });
  const facts = {
    receivedAt,
    replica: options.replica,
    route: '/v1/score',
    httpStatus: 200,
    totalMs: performance.now() - started,
    client: null,
  };
  formatLogLine(buildRecord(facts, item));
}

export async function warmScoringPath(engine: ScoringEngine, options: WarmUpOptions): Promise<WarmUpReport> {
  const started = performance.now();
  const bodies = await goldenBodies(engine);
  let requests = 0;
  let overHttp = 0;
  if (bodies.length > 0) {
    const burstSize = options.burstSize ?? 16;
    for (let burst = 0; burst < (options.bursts ?? 20); burst += 1) {
      await Promise.all(
        Array.from({ length: burstSize }, () =>
          oneRequest(engine, bodies[requests % bodies.length]!, requests++, options),
        ),
      );
    }
    let loopbackWorks = true;
    for (let i = 0; i < (options.lone ?? 1500); i += 1) {
      const body = bodies[requests % bodies.length]!;
      const client = loopbackWorks ? (options.loopback?.() ?? null) : null;
      const status = client === null ? null : await client.post(body);
      if (status === 200) overHttp += 1;
      else {
        // Refused (the warm-up's rate limit) or failed (no connection: the rest stays in this process).
        if (status === 0) loopbackWorks = false;
        await oneRequest(engine, body, requests, options);
      }
      requests += 1;
    }
  }
  return { requests, overHttp, ms: performance.now() - started };
}
