/**
 * `vigie bench api`: starts the API as its own process on loopback (real models, real log writer) and drives
 * POST /v1/score with autocannon using varied simulated applicants: a fixed rate (default 500 req/s for 20 s),
 * then a peak run (64 connections for 20 s). Prints figures, never pass/fail.
 *
 * The load generator runs on the same machine as the API and shares its CPU cores, so the figures are a floor for
 * the API alone on that machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { compileInputSchema } from '../core/contract/index.ts';
import { generateApplicants } from '../core/simulate/index.ts';

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
  /** Where text and JSON go. @default process.stdout */
  write?: (text: string) => void;
}

export interface RunFigures {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

export interface ApiBenchResult {
  fixed_rate: RunFigures;
  peak: RunFigures;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'bench-key-0123456789abcdef';
/**
 * autocannon paces `overallRate` per connection and second, sending each connection's share back to back: enough
 * connections to hold the rate while latency is up to ~30 ms, few enough to keep the bursts near the concurrency that
 * independent arrivals at 500 req/s would have.
 */
const FIXED_RATE_CONNECTIONS = 16;

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
    await load(url, bodies, { duration: 2, connections: 16 }); // warm-up: JIT, worker queues, page cache
    const fixed = figures(await load(url, bodies, { duration, connections: FIXED_RATE_CONNECTIONS, rate }));
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
            .join(' ')}; the load generator shares the cores with the API`,
          `fixed rate ${rate} req/s, ${duration} s: ${fixed.rps} req/s, p50 ${fixed.p50_ms} ms, p99 ${fixed.p99_ms} ms, errors ${fixed.errors}`,
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
