/** Webhook delivery against a real local HTTP receiver: retries with backoff, final failures, recorded deliveries. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { applyFindings, deliverWebhook, type AlertFinding } from '../../../core/alerts/index.ts';
import { AlertTable, openStore, type Store } from '../../../db/index.ts';

interface Receiver {
  url: string;
  bodies: unknown[];
  close(): Promise<void>;
}

let servers: Server[] = [];
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
  for (const store of stores.splice(0)) store.close();
});

/** Answers each POST with the next status of `statuses` (the last one repeats). */
async function receiver(statuses: number[]): Promise<Receiver> {
  const bodies: unknown[] = [];
  let calls = 0;
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      bodies.push(JSON.parse(text));
      response.statusCode = statuses[Math.min(calls, statuses.length - 1)]!;
      calls += 1;
      response.end('{}');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/secret-token`, bodies, close: async () => undefined };
}

const fast = { baseDelayMs: 1 };

describe('webhook delivery', () => {
  it('retries 5xx answers with backoff until one succeeds', async () => {
    const r = await receiver([503, 502, 200]);
    const delays: number[] = [];
    const result = await deliverWebhook(
      r.url,
      { hello: 1 },
      {
        sleep: async (ms) => {
          delays.push(ms);
        },
      },
    );
    expect(result).toEqual({ status: 'delivered', attempts: 3, httpStatus: 200, error: null });
    expect(delays).toEqual([500, 1000]);
    expect(r.bodies).toEqual([{ hello: 1 }, { hello: 1 }, { hello: 1 }]);
  });

  it('gives up after the last try and says why', async () => {
    const r = await receiver([500]);
    const result = await deliverWebhook(r.url, {}, { ...fast, attempts: 3 });
    expect(result).toEqual({ status: 'failed', attempts: 3, httpStatus: 500, error: 'HTTP 500' });
  });

  it('does not retry a 4xx answer other than 429', async () => {
    const r = await receiver([404]);
    const result = await deliverWebhook(r.url, {}, fast);
    expect(result).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 404 });
  });

  it('reports an unreachable receiver as a failed delivery', async () => {
    const r = await receiver([200]);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const result = await deliverWebhook(r.url, {}, { ...fast, attempts: 2 });
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(2);
    expect(result.error).toMatch(/cannot reach the webhook/);
  });
});

const DAY = 86_400_000;
const T = Date.parse('2026-11-08T00:00:00Z');
const finding = (start: number): AlertFinding => ({
  rule: 'realised_auc_drop',
  severity: 'critical',
  periodStart: start,
  periodEnd: start + DAY,
  value: 0.12,
  threshold: 0.06,
  message: 'realised ROC AUC dropped',
});

describe('alert state', () => {
  it('fires once, resolves when the window no longer fires, and records every delivery', async () => {
    const r = await receiver([200]);
    const store = openStore(':memory:');
    stores.push(store);
    const alerts = new AlertTable(store.db);
    alerts.saveAlertSettings({ ...alerts.alertSettings(), webhookUrl: r.url });
    const range = { from: T, to: T + 2 * DAY };

    const first = await applyFindings(alerts, [finding(T), finding(T + DAY)], range, 'test', fast);
    expect(first.events.map((e) => e.event)).toEqual(['firing', 'firing']);
    const again = await applyFindings(alerts, [finding(T), finding(T + DAY)], range, 'test', fast);
    expect(again.events).toEqual([]);

    const acknowledged = alerts.acknowledge(first.events[0]!.alert.id);
    expect(acknowledged?.state).toBe('acknowledged');
    const later = await applyFindings(alerts, [finding(T)], range, 'test', fast);
    expect(later.events.map((e) => [e.event, e.alert.periodStart])).toEqual([['resolved', T + DAY]]);
    expect(alerts.list().map((a) => a.state)).toEqual(['acknowledged', 'resolved']);

    expect(r.bodies).toHaveLength(3);
    expect(r.bodies[0]).toMatchObject({ source: 'vigie', event: 'firing', alert: { rule: 'realised_auc_drop' } });
    const deliveries = alerts.deliveries();
    expect(deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
    // The webhook's path may be a secret: only its origin is kept.
    expect(JSON.stringify(deliveries)).not.toContain('secret-token');
  });

  it('keeps a failed delivery visible', async () => {
    const r = await receiver([500]);
    const store = openStore(':memory:');
    stores.push(store);
    const alerts = new AlertTable(store.db);
    alerts.saveAlertSettings({ ...alerts.alertSettings(), webhookUrl: r.url, webhookAttempts: 2 });
    const result = await applyFindings(alerts, [finding(T)], { from: T, to: T + DAY }, 'test', fast);
    expect(result.deliveries).toMatchObject([{ status: 'failed', attempts: 2, httpStatus: 500 }]);
    expect(alerts.deliveries()[0]).toMatchObject({ status: 'failed', attempts: 2, error: 'HTTP 500' });
  });
});
