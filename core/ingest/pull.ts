/**
 * Pulls the API's production log (`GET /v1/logs?since=<cursor>&limit=<n>`, NDJSON, next cursor in the
 * `X-Next-Cursor` header, `X-Has-More: true` while more is waiting) into the store through the same line reader as
 * the files. Each page is written in one transaction together with the cursor that follows it, so a pull stopped at
 * any point resumes from the last page written and never quarantines a line twice. Network errors, 429 and 5xx are
 * retried with exponential backoff and jitter; any other 4xx stops with a PullError saying what to fix.
 */
import { BatchCollector } from './batch-collector.ts';
import { LineSplitter } from './line-splitter.ts';
import { newOutcome, RunState, type IngestOptions } from './run-state.ts';
import type { IngestSummary, SourceOutcome } from './summary.ts';
import type { IngestTarget } from './target.ts';

export interface PullOptions extends Omit<IngestOptions, 'batchSize'> {
  /** The API's base URL, e.g. http://127.0.0.1:8080 (a trailing /v1/logs is accepted). */
  url: string;
  /** An admin API key; sent as a Bearer token, never stored or printed. */
  key: string;
  /** Records per page (the API accepts 1–10 000). @default 5000 */
  pageSize?: number;
  /** Keep polling after the log is drained. @default false */
  follow?: boolean;
  /** Seconds between polls when following. @default 10 */
  intervalSeconds?: number;
  /** Tries per page before giving up on network errors, 429 and 5xx. @default 6 */
  maxAttempts?: number;
  /** First retry delay; doubles per try, with jitter, up to maxDelayMs. @default 500 */
  baseDelayMs?: number;
  /** @default 30000 */
  maxDelayMs?: number;
  /** Called before each retry (for the CLI's stderr notes). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

export const MAX_PAGE_SIZE = 10_000;

/** A pull that cannot go on: the message says why and what to do; it never contains the key. */
export class PullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PullError';
  }
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The endpoint URL a pull reads, normalised (it names the source in the store). */
export function logsEndpoint(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PullError(`--url must be an http:// or https:// URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new PullError(`--url must be an http:// or https:// URL, got "${url}"`);
  }
  if (parsed.username || parsed.password) throw new PullError('--url must not contain credentials; use --key');
  const base = parsed.pathname.replace(/\/+$/, '').replace(/\/v1\/logs$/, '');
  return new URL(`${parsed.origin}${base}/v1/logs`);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

async function apiMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: string; message?: string };
    if (body.code || body.message) return [body.code, body.message].filter(Boolean).join(': ');
  } catch {
    // Not the API's JSON error body (a proxy's page, say): its first line is still the best clue.
  }
  return text.split('\n')[0]!.slice(0, 200);
}

async function refusal(response: Response, endpoint: URL): Promise<Error> {
  const status = response.status;
  if (status === 429 || status >= 500) {
    const retryAfter = Number(response.headers.get('retry-after'));
    await response.body?.cancel().catch(() => undefined);
    return new RetryableError(
      `HTTP ${status}`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
    );
  }
  const detail = await apiMessage(response);
  if (status === 401)
    return new PullError(
      `${endpoint.origin} refused the key (401): check --key or VIGIE_ADMIN_KEY (a key vigie api generated is in its var/admin-key file)`,
    );
  if (status === 403)
    return new PullError(`${endpoint.origin} says the key is not an admin key (403): use an admin key`);
  if (status === 404) return new PullError(`${endpoint.href} was not found (404): is --url the Vigie API's address?`);
  return new PullError(`${endpoint.href} refused the request (HTTP ${status}${detail ? `: ${detail}` : ''})`);
}

interface Page {
  batch: ReturnType<BatchCollector['take']>;
  cursor: string | null;
  hasMore: boolean;
}

async function fetchPage(endpoint: URL, options: PullOptions, cursor: string | null, firstLine: number): Promise<Page> {
  const url = new URL(endpoint);
  url.searchParams.set('limit', String(options.pageSize ?? 5000));
  if (cursor) url.searchParams.set('since', cursor);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${options.key}`, accept: 'application/x-ndjson' },
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new RetryableError(networkReason(error));
  }
  if (!response.ok) throw await refusal(response, endpoint);
  const type = response.headers.get('content-type') ?? '';
  if (!/ndjson|jsonl/i.test(type)) {
    // A web page or another service at that address: its HTML would otherwise land in the quarantine line by line.
    await response.body?.cancel().catch(() => undefined);
    throw new PullError(
      `${endpoint.href} did not answer with log lines (content type "${type.split(';')[0] || 'none'}"): is --url the Vigie API's address?`,
    );
  }
  const collector = new BatchCollector(0);
  const splitter = new LineSplitter(collector, firstLine);
  try {
    for await (const chunk of response.body ?? []) {
      splitter.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new RetryableError(`the page was cut off: ${networkReason(error)}`);
  }
  splitter.end();
  return {
    batch: collector.take(),
    cursor: response.headers.get('x-next-cursor'),
    hasMore: response.headers.get('x-has-more') === 'true',
  };
}

async function fetchWithRetry(
  endpoint: URL,
  options: PullOptions,
  cursor: string | null,
  firstLine: number,
): Promise<Page> {
  const maxAttempts = options.maxAttempts ?? 6;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchPage(endpoint, options, cursor, firstLine);
    } catch (error) {
      if (!(error instanceof RetryableError)) throw error;
      if (attempt >= maxAttempts) {
        throw new PullError(`cannot pull from ${endpoint.href}: ${error.message} (gave up after ${attempt} tries)`);
      }
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      const delayMs = Math.min(max, error.retryAfterMs ?? Math.round(backoff / 2 + Math.random() * (backoff / 2)));
      options.onRetry?.({ attempt, delayMs, reason: error.message });
      await sleep(delayMs, options.signal);
      if (options.signal?.aborted) throw new PullError('the pull was interrupted');
    }
  }
}

/** Pulls pages until the API has nothing more (or, with `follow`, until the signal aborts). */
export async function pullLogs(target: IngestTarget, options: PullOptions): Promise<IngestSummary> {
  const endpoint = logsEndpoint(options.url);
  const pageSize = options.pageSize ?? 5000;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new PullError(`the page size must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  if (!options.key) throw new PullError('an admin key is needed: pass --key or set VIGIE_ADMIN_KEY');
  const state = new RunState(target, options);
  const source = target.openNamedSource('endpoint', endpoint.href);
  const outcome: SourceOutcome = newOutcome(endpoint.href);
  state.summary.files = 1;
  state.summary.sources.push(outcome);
  let cursor = source.cursor;
  let nextLine = source.lines + 1;
  try {
    while (!state.aborted) {
      const page = await fetchWithRetry(endpoint, options, cursor, nextLine);
      if (state.aborted) break;
      state.write(source.id, outcome, { ...page.batch, cursor: page.cursor }, 0);
      nextLine += page.batch.lines;
      cursor = page.cursor ?? cursor;
      if (page.hasMore) continue;
      if (!options.follow) break;
      await sleep((options.intervalSeconds ?? 10) * 1000, options.signal);
    }
  } catch (error) {
    if (!state.aborted) {
      outcome.status = 'failed';
      state.summary.errors.push({
        source: endpoint.href,
        error: error instanceof Error ? error.message : String(error),
      });
      state.finish('pull', true);
      throw error;
    }
  }
  if (state.aborted) outcome.status = 'partial';
  return state.finish('pull');
}
