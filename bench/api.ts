/**
 * `vigie bench api`: starts the API as its own process on loopback (real models, real log writer) and drives
 * POST /v1/score with varied simulated applicants: `rounds` fixed-rate rounds from an open-loop generator that
 * corrects for coordinated omission (default 500 req/s for 20 s each, open-loop.ts), then a peak run with autocannon
 * (64 connections for 20 s). The API gets no warm-up traffic from the benchmark (it warms its own request path before
 * /ready says yes); only the generator is warmed, against a sink of its own. Beside each round it prints what the API's own /metrics saw over it: event-loop delay
 * and garbage-collection pauses, the usual causes of a tail at low load. Prints figures, never pass/fail.
 *
 * The load generator runs on the same machine as the API and shares its CPU cores, so the figures are a floor for
 * the API alone on that machine; each round prints the generator's own CPU per request and how late it sent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { compileInputSchema } from '../core/contract/index.ts';
import { generateApplicants } from '../core/simulate/index.ts';
import { openLoop, warmUpGenerator, type OpenLoopFigures } from './open-loop.ts';

export interface ApiBenchOptions {
  /** Print one JSON object instead of text. */
  json?: boolean;
  /** Seconds of each run. @default 20 */
  duration?: number;
  /** Requests per second of the fixed-rate run. @default 500 */
  rate?: number;
  /** Connections of the peak run. @default 64 */
  connections?: number;
  /** Models folder served. @default 'models' */
  modelsDir?: string;
  /** Distinct simulated applicants cycled through. @default 2000 */
  applicants?: number;
  /** Engine worker threads; unset lets the API choose. */
  workers?: number;
  /** Fixed-rate rounds. @default 3 */
  rounds?: number;
  /** Where text and JSON go. @default process.stdout */
  write?: (text: string) => void;
}

export interface RunFigures {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

/** What the API process saw during one round, from its /metrics before and after. */
export interface ServerSide {
  /** Event-loop delay over the round (monitorEventLoopDelay, 10 ms resolution), max and p99. */
  event_loop_delay_max_ms: number;
  event_loop_delay_p99_ms: number;
  gc_pauses: number;
  gc_total_ms: number;
  /** Pauses of at least 1 ms (histogram buckets). */
  gc_pauses_over_1ms: number;
  log_rotations: number;
  /** CPU of the API process per answered request, µs: its main (event-loop) thread, and every other thread (inference workers, libuv pool, GC helpers). Linux only, else null. */
  cpu_us_per_request: { main: number; others: number } | null;
}

export interface FixedRateRound extends OpenLoopFigures {
  load_average: number[];
  /** Share of the round during which some task of the machine waited for a CPU (Linux PSI "some"), or null. */
  cpu_pressure: number | null;
  server: ServerSide;
}

export interface ApiBenchResult {
  fixed_rate: FixedRateRound[];
  peak: RunFigures;
}

type Samples = Map<string, number>;

/** CPU milliseconds of a process's main thread and of its other threads, from /proc (null where there is none). */
function threadCpu(pid: number): { main: number; others: number } | null {
  try {
    let main = 0;
    let others = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const fields = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime and stime, in clock ticks of 10 ms.
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      if (Number(task) === pid) main += ms;
      else others += ms;
    }
    return { main, others };
  } catch {
    return null;
  }
}

/** Microseconds during which some runnable task of this machine waited for a CPU (Linux PSI), or null. */
function cpuPressureUs(): number | null {
  try {
    const match = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

async function scrape(url: string): Promise<Samples> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

function sumOf(samples: Samples, prefix: string, filter: (key: string) => boolean = () => true): number {
  let total = 0;
  for (const [key, value] of samples) if (key.startsWith(prefix) && filter(key)) total += value;
  return total;
}

function serverSide(
  before: Samples,
  after: Samples,
  cpu: { main: number; others: number } | null,
  requests: number,
): ServerSide {
  const diff = (prefix: string, filter?: (key: string) => boolean) =>
    sumOf(after, prefix, filter) - sumOf(before, prefix, filter);
  const under1ms = (key: string) => /le="0\.001"/.test(key);
  return {
    // The lag gauges are reset at every scrape, so "after" covers exactly the round.
    event_loop_delay_max_ms: Number(((after.get('nodejs_eventloop_lag_max_seconds') ?? NaN) * 1000).toFixed(2)),
    event_loop_delay_p99_ms: Number(((after.get('nodejs_eventloop_lag_p99_seconds') ?? NaN) * 1000).toFixed(2)),
    gc_pauses: diff('nodejs_gc_duration_seconds_count'),
    gc_total_ms: Number((diff('nodejs_gc_duration_seconds_sum') * 1000).toFixed(1)),
    gc_pauses_over_1ms: diff('nodejs_gc_duration_seconds_count') - diff('nodejs_gc_duration_seconds_bucket', under1ms),
    log_rotations: diff('vigie_log_rotations_total'),
    cpu_us_per_request: cpu
      ? { main: Math.round((cpu.main * 1000) / requests), others: Math.round((cpu.others * 1000) / requests) }
      : null,
  };
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'bench-key-0123456789abcdef';

function startApi(options: ApiBenchOptions, logDir: string): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VIGIE_API_KEYS: KEY,
    VIGIE_HASH_KEY: 'bench-hash-key-0123456789',
    VIGIE_LOG_DIR: logDir,
    VIGIE_MODELS_DIR: path.resolve(options.modelsDir ?? path.join(ROOT, 'models')),
    VIGIE_REPLICA: 'bench',
    VIGIE_RATE_LIMIT_MAX: '100000000',
    VIGIE_RATE_LIMIT_WINDOW_MS: '1000',
    VIGIE_LOG_LEVEL: 'warn',
    VIGIE_DOCS: 'false',
  };
  if (options.workers !== undefined) env.VIGIE_WORKERS = String(options.workers);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/vigie.js'), 'api', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the API exited (code ${code}) before listening:\n${output}`)));
  });
}

async function waitReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const response = await fetch(`${url}/ready`).catch(() => null);
    if (response?.ok) return;
    const body = response ? await response.text() : '';
    if (body.includes('failed to load')) throw new Error(`the API cannot serve: ${body}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the API did not become ready within 30 s');
}

async function applicantBodies(url: string, rows: number): Promise<string[]> {
  const response = await fetch(`${url}/v1/model`, { headers: { authorization: `Bearer ${KEY}` } });
  const model = (await response.json()) as { input_schema: unknown };
  const schema = compileInputSchema(model.input_schema);
  const bodies: string[] = [];
  for (const applicant of generateApplicants({ rows, seed: 7, schema })) bodies.push(JSON.stringify(applicant.values));
  return bodies;
}

function load(url: string, bodies: string[], settings: { duration: number; connections: number; rate?: number }) {
  let next = 0;
  return autocannon({
    url: `${url}/v1/score`,
    duration: settings.duration,
    connections: settings.connections,
    ...(settings.rate ? { overallRate: settings.rate } : {}),
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
}

function figures(result: autocannon.Result): RunFigures {
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    rps: round(result.requests.average),
    p50_ms: round(result.latency.p50),
    p99_ms: round(result.latency.p99),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

function formatRound(r: FixedRateRound, i: number): string {
  const s = r.server;
  return [
    `  round ${i + 1} (load average ${r.load_average.join(' ')}` +
      (r.cpu_pressure === null ? '' : `; a task waited for a CPU ${Math.round(r.cpu_pressure * 100)} % of the time`) +
      `): ${r.completed}/${r.sent} answered, errors ${r.errors}, ` +
      `p50 ${r.p50_ms} ms, p90 ${r.p90_ms} ms, p99 ${r.p99_ms} ms, p99.9 ${r.p999_ms} ms, max ${r.max_ms} ms`,
    `    closed-loop view (from the actual send) p99 ${r.service_p99_ms} ms; generator send lag p99 ${r.send_lag_p99_ms} ms; ` +
      `${r.connections_used} connections; worst second p99 ${Math.max(...r.p99_by_second_ms)} ms; ` +
      `generator CPU ${r.generator_cpu_us_per_request} µs per request (same cores as the API)`,
    `    API process: event-loop delay max ${s.event_loop_delay_max_ms} ms (p99 ${s.event_loop_delay_p99_ms}); ` +
      `GC ${s.gc_pauses} pauses, ${s.gc_total_ms} ms in all, ${s.gc_pauses_over_1ms} of 1 ms or more; log rotations ${s.log_rotations}` +
      (s.cpu_us_per_request
        ? `; CPU per request ${s.cpu_us_per_request.main} µs main thread + ${s.cpu_us_per_request.others} µs other threads`
        : ''),
  ].join('\n');
}

export async function run(options: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const duration = options.duration ?? 20;
  const rate = options.rate ?? 500;
  const connections = options.connections ?? 64;
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-api-'));
  const { child, url } = await startApi(options, logDir);
  try {
    await waitReady(url);
    const bodies = await applicantBodies(url, options.applicants ?? 2000);
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    // Only the generator is warmed here, against its own sink: the API warms its request path itself before /ready,
    // so round 1 is the API's first traffic, as after a deploy.
    await warmUpGenerator({ bodies, headers, rate, durationS: 2 });
    const fixed: FixedRateRound[] = [];
    for (let round = 0; round < (options.rounds ?? 3); round += 1) {
      const loadAverage = os.loadavg().map((value) => Number(value.toFixed(2)));
      const before = await scrape(url);
      const cpuBefore = threadCpu(child.pid!);
      const pressureBefore = cpuPressureUs();
      const roundStart = performance.now();
      const measured = await openLoop({ url: `${url}/v1/score`, bodies, headers, rate, durationS: duration });
      const cpuAfter = threadCpu(child.pid!);
      const pressureAfter = cpuPressureUs();
      const roundUs = (performance.now() - roundStart) * 1000;
      const pressure =
        pressureBefore === null || pressureAfter === null
          ? null
          : Number(((pressureAfter - pressureBefore) / roundUs).toFixed(2));
      const cpu =
        cpuBefore && cpuAfter
          ? { main: cpuAfter.main - cpuBefore.main, others: cpuAfter.others - cpuBefore.others }
          : null;
      const server = serverSide(before, await scrape(url), cpu, Math.max(1, measured.completed));
      fixed.push({ ...measured, load_average: loadAverage, cpu_pressure: pressure, server });
    }
    const peak = figures(await load(url, bodies, { duration, connections }));
    const result: ApiBenchResult = { fixed_rate: fixed, peak };
    if (options.json) {
      write(`${JSON.stringify(result)}\n`);
    } else {
      write(
        [
          `vigie bench api — POST /v1/score, ${bodies.length} distinct simulated applicants, API on ${url}`,
          `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), load average ${os
            .loadavg()
            .map((load) => load.toFixed(1))
            .join(
              ' ',
            )}; the load generator runs in this process, on the same cores and at the same priority as the API`,
          `fixed rate ${rate} req/s, open loop (latency from the intended send time), ${duration} s per round:`,
          ...fixed.map(formatRound),
          `peak ${connections} connections, ${duration} s: ${peak.rps} req/s, p50 ${peak.p50_ms} ms, p99 ${peak.p99_ms} ms, errors ${peak.errors}`,
          '',
        ].join('\n'),
      );
    }
    return result;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(logDir, { recursive: true, force: true });
  }
}
