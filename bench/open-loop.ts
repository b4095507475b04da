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
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopFigures> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxConnections ?? 128 });
  const total = Math.round(options.rate * options.durationS);
  const latency = new Float64Array(total).fill(NaN);
  const service = new Float64Array(total).fill(NaN);
  const lag = new Float64Array(total);
  const intervalMs = 1000 / options.rate;
  let errors = 0;
  let completed = 0;
  let sent = 0;
  let connections = 0;
  const sockets = new Set<unknown>();

  const send = (i: number, intended: number) =>
    new Promise<void>((resolve) => {
      const body = options.bodies[i % options.bodies.length]!;
      const actual = performance.now();
      lag[i] = actual - intended;
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { ...options.headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            const done = performance.now();
            latency[i] = done - intended;
            service[i] = done - actual;
            if (response.statusCode !== 200) errors += 1;
            completed += 1;
            resolve();
          });
        },
      );
      request.on('socket', (socket) => {
        if (!sockets.has(socket)) {
          sockets.add(socket);
          connections += 1;
        }
      });
      request.on('error', () => {
        errors += 1;
        resolve();
      });
      request.end(body);
    });

  const inFlight: Promise<void>[] = [];
  const start = performance.now() + 5;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        inFlight.push(send(sent, start + sent * intervalMs));
        sent += 1;
      }
      if (sent >= total) return resolve();
      // Sleep until the next request is due; setTimeout rounds to whole milliseconds, so aim a little early.
      const wait = start + sent * intervalMs - performance.now();
      if (wait > 1.5) setTimeout(tick, Math.floor(wait - 0.5));
      else setImmediate(tick);
    };
    tick();
  });
  await Promise.all(inFlight);
  agent.destroy();

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
    connections_used: connections,
  };
}
