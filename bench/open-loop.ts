/**
 * Open-loop load at a fixed rate that corrects for coordinated omission: request i is due at t0 + i / rate whatever
 * happened to the others, and its latency is counted from that intended send time, not from when a free connection
 * finally sent it. A stall of the server therefore shows in every request that should have been sent during it,
 * as it would for independent clients (a closed-loop generator waits politely and hides it).
 *
 * It runs in the benchmark's own process, on the same cores as the API: its CPU use is part of what the API competes
 * with, and its timer wakes up late when the machine is busy (that lateness is measured and reported, as `send_lag`).
 */
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { KeepAliveClient } from '../server/keep-alive-client.ts';

/**
 * The clock of the generator, on its own thread: it sleeps in Atomics.wait (a futex with a sub-millisecond timeout)
 * until each request is due and tells the main thread its index. The main thread only sends and reads answers, so
 * the generator neither spins (a setImmediate loop burnt half a core of the two the API shares) nor rounds its send
 * times to the millisecond of setTimeout.
 */
const TICKER = `
const { parentPort } = require('node:worker_threads');
const cell = new Int32Array(new SharedArrayBuffer(4));
parentPort.once('message', ({ startMs, intervalMs, total }) => {
  const origin = performance.timeOrigin;
  for (let i = 0; i < total; i += 1) {
    const due = startMs + i * intervalMs - origin;
    for (let wait = due - performance.now(); wait > 0; wait = due - performance.now()) Atomics.wait(cell, 0, 0, wait);
    parentPort.postMessage(i);
  }
});
`;

export interface OpenLoopOptions {
  url: string;
  /** Bodies sent round-robin. */
  bodies: string[];
  headers: Record<string, string>;
  rate: number;
  durationS: number;
  /** Keep-alive connections at most; a request due when all are busy waits, and that wait counts. @default 128 */
  maxConnections?: number;
}

export interface OpenLoopFigures {
  rate: number;
  duration_s: number;
  sent: number;
  completed: number;
  errors: number;
  /** Latency from the intended send time to the end of the response (corrected for coordinated omission). */
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  p999_ms: number;
  max_ms: number;
  /** Latency from the actual send, the figure a closed-loop generator would report. */
  service_p99_ms: number;
  /** How late the generator itself sent requests (its timer on a busy machine), p99. */
  send_lag_p99_ms: number;
  /** p99 of each second: a stall shows as one bad second. */
  p99_by_second_ms: number[];
  connections_used: number;
  /** CPU of the generator's process (every thread) per request sent, µs: what it takes from the cores it shares. */
  generator_cpu_us_per_request: number;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopFigures> {
  const target = new URL(options.url);
  const client = new KeepAliveClient(target.hostname, Number(target.port || 80), options.maxConnections ?? 128);
  const requests = options.bodies.map((body) => KeepAliveClient.post(target, options.headers, body));
  const total = Math.round(options.rate * options.durationS);
  const latency = new Float64Array(total).fill(NaN);
  const service = new Float64Array(total).fill(NaN);
  const lag = new Float64Array(total);
  const intervalMs = 1000 / options.rate;
  let errors = 0;
  let completed = 0;
  let sent = 0;

  const send = async (i: number, intended: number): Promise<void> => {
    const actual = performance.now();
    lag[i] = actual - intended;
    const answer = await client.request(requests[i % requests.length]!);
    if (answer === null) {
      errors += 1;
      return;
    }
    const done = performance.now();
    latency[i] = done - intended;
    service[i] = done - actual;
    if (answer.status !== 200) errors += 1;
    completed += 1;
  };

  const inFlight: Promise<void>[] = [];
  const ticker = new Worker(TICKER, { eval: true });
  await new Promise<void>((resolve, reject) => {
    ticker.once('online', resolve);
    ticker.once('error', reject);
  });
  const cpuBefore = process.cpuUsage();
  // A margin for the ticker's first wait: request 0 is due after the ticker is surely sleeping.
  const start = performance.now() + 20;
  await new Promise<void>((resolve, reject) => {
    ticker.on('message', (due: number) => {
      while (sent <= due && sent < total) {
        inFlight.push(send(sent, start + sent * intervalMs));
        sent += 1;
      }
      if (sent >= total) resolve();
    });
    ticker.once('error', reject);
    ticker.postMessage({ startMs: performance.timeOrigin + start, intervalMs, total });
  });
  await ticker.terminate();
  await Promise.all(inFlight);
  const cpu = process.cpuUsage(cpuBefore);
  client.close();

  const bySecond: number[] = [];
  const perSecond = Math.max(1, Math.round(options.rate));
  for (let from = 0; from < total; from += perSecond) {
    const slice = latency.slice(from, Math.min(total, from + perSecond)).filter((v) => !Number.isNaN(v));
    slice.sort();
    bySecond.push(round(quantile(slice, 0.99)));
  }
  const done = latency.filter((v) => !Number.isNaN(v)).sort();
  const serviceDone = service.filter((v) => !Number.isNaN(v)).sort();
  const lagSorted = lag.slice().sort();
  return {
    rate: options.rate,
    duration_s: options.durationS,
    sent,
    completed,
    errors,
    p50_ms: round(quantile(done, 0.5)),
    p90_ms: round(quantile(done, 0.9)),
    p99_ms: round(quantile(done, 0.99)),
    p999_ms: round(quantile(done, 0.999)),
    max_ms: round(done.length ? done[done.length - 1]! : NaN),
    service_p99_ms: round(quantile(serviceDone, 0.99)),
    send_lag_p99_ms: round(quantile(lagSorted, 0.99)),
    p99_by_second_ms: bySecond,
    connections_used: client.opened,
    generator_cpu_us_per_request: Math.round((cpu.user + cpu.system) / Math.max(1, sent)),
  };
}

/**
 * Runs the generator for `durationS` against a sink in this process that answers every request at once, so its own
 * code (the HTTP client, the ticker, the bookkeeping) is optimised before it measures the API, without sending the
 * API a single request: the API's first round is then its first traffic after ready.
 */
export async function warmUpGenerator(options: Omit<OpenLoopOptions, 'url'>): Promise<void> {
  const sink = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('{}'));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const address = sink.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  try {
    await openLoop({ ...options, url: `http://127.0.0.1:${port}/v1/score` });
  } finally {
    sink.closeAllConnections();
    await new Promise((resolve) => sink.close(resolve));
  }
}
