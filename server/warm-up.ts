/**
 * Warms the request path before /ready says yes: the champion's golden applicants go through what a scoring request
 * does on the main thread (JSON parse of the body, the keyed hash of SK_ID_CURR, validation with the model's schema,
 * the engine's lone-applicant and micro-batch paths, the response body, the log record) so the first real requests
 * run optimised code on warm workers instead of paying for it (decision 1614).
 *
 * Nothing of it is production traffic: no record reaches the production log (the line is built and dropped), no
 * request metric moves, the challengers never see it. The engine observer is muted meanwhile by the caller.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatLogLine, type Applicant } from '../core/contract/index.ts';
import type { ScoringEngine } from '../core/engine/index.ts';
import { buildRecord, type ItemOutcome } from './request-record.ts';
import { forgetIds, scoreBody } from './routes/score-body.ts';

export interface WarmUpOptions {
  /** Lone requests, one after the other (the path of a lightly loaded API). @default 1500 */
  lone?: number;
  /** Rounds of concurrent requests (the micro-batcher's path). @default 20 */
  bursts?: number;
  /** Requests in flight in each burst. @default 16 */
  burstSize?: number;
  pseudonymise(id: unknown): string | null;
  replica: string;
}

export interface WarmUpReport {
  requests: number;
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
  if (bodies.length > 0) {
    const burstSize = options.burstSize ?? 16;
    for (let burst = 0; burst < (options.bursts ?? 20); burst += 1) {
      await Promise.all(
        Array.from({ length: burstSize }, () =>
          oneRequest(engine, bodies[requests % bodies.length]!, requests++, options),
        ),
      );
    }
    for (let i = 0; i < (options.lone ?? 1500); i += 1) {
      await oneRequest(engine, bodies[requests % bodies.length]!, requests++, options);
    }
  }
  return { requests, ms: performance.now() - started };
}
