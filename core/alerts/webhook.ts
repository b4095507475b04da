/**
 * Delivers an alert event to a webhook: one JSON POST, retried with exponential backoff (500 ms, 1 s, 2 s…) on a
 * network error, a timeout, 429 or a 5xx; any other status is final. The result says how it went, for the
 * deliveries list: a failure is visible, never silent.
 */

export interface WebhookOptions {
  /** Tries in all, the first included. @default 4 */
  attempts?: number;
  /** First backoff delay; doubled after each failed try. @default 500 */
  baseDelayMs?: number;
  /** Per-try timeout. @default 5000 */
  timeoutMs?: number;
  /** Replaces the global fetch (tests use a real one against a local server). */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryResult {
  status: 'delivered' | 'failed';
  attempts: number;
  httpStatus: number | null;
  error: string | null;
}

const retryable = (status: number) => status === 429 || status >= 500;

export async function deliverWebhook(
  url: string,
  payload: unknown,
  options: WebhookOptions = {},
): Promise<DeliveryResult> {
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 500;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const body = JSON.stringify(payload);
  let last: DeliveryResult = { status: 'failed', attempts: 0, httpStatus: null, error: null };
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'vigie-alerts' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { status: 'delivered', attempts: attempt, httpStatus: response.status, error: null };
      last = { status: 'failed', attempts: attempt, httpStatus: response.status, error: `HTTP ${response.status}` };
      if (!retryable(response.status)) return last;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const name = (error as Error).name === 'TimeoutError' ? 'timed out' : (cause ?? (error as Error).message);
      last = { status: 'failed', attempts: attempt, httpStatus: null, error: `cannot reach the webhook: ${name}` };
    }
    if (attempt < attempts) await sleep(base * 2 ** (attempt - 1));
  }
  return last;
}
