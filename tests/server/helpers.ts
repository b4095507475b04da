/**
 * Test helpers: a configuration in a temp folder, a valid applicant, and an in-memory engine implementing the
 * ScoringEngine interface for route-level tests (the real engine is exercised in the fault and process tests).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { compileInputSchema, parseLogLine, type Applicant, type LogRecord } from '../../core/contract/index.ts';
import type { ScoreResult, ScoringEngine } from '../../core/engine/index.ts';
import { buildServer, type ServerDeps } from '../../server/app.ts';
import { parseConfig, type ServerConfig } from '../../server/config.ts';

export const SCORING_KEY = 'score-key-0123456789abcdef';
export const ADMIN_KEY = 'admin-key-0123456789abcdef';
export const HASH_KEY = 'hash-key-0123456789abcdef';
export const SCHEMA_DOCUMENT = JSON.parse(
  readFileSync(new URL('../fixtures/input_schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'vigie-server-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function testConfig(dir: string, env: Record<string, string> = {}): ServerConfig {
  const config = parseConfig(
    {
      VIGIE_API_KEYS: SCORING_KEY,
      VIGIE_ADMIN_KEYS: ADMIN_KEY,
      VIGIE_HASH_KEY: HASH_KEY,
      VIGIE_LOG_DIR: path.join(dir, 'logs'),
      VIGIE_REPLICA: 'test-0',
      VIGIE_LOG_MIN_FREE_BYTES: '0',
      VIGIE_LOG_LEVEL: 'silent',
      ...env,
    },
    {},
    dir,
  );
  return config;
}

export function validApplicant(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    SK_ID_CURR: 100002,
    NAME_CONTRACT_TYPE: 'Cash loans',
    CODE_GENDER: 'F',
    FLAG_OWN_CAR: 'N',
    FLAG_OWN_REALTY: 'Y',
    CNT_CHILDREN: 0,
    AMT_INCOME_TOTAL: 202500,
    AMT_CREDIT: 406597.5,
    AMT_ANNUITY: 24700.5,
    NAME_INCOME_TYPE: 'Working',
    NAME_EDUCATION_TYPE: 'Secondary / secondary special',
    NAME_FAMILY_STATUS: 'Single / not married',
    NAME_HOUSING_TYPE: 'House / apartment',
    REGION_POPULATION_RELATIVE: 0.018801,
    DAYS_BIRTH: -9461,
    DAYS_EMPLOYED: -637,
    DAYS_REGISTRATION: -3648,
    DAYS_ID_PUBLISH: -2120,
    REGION_RATING_CLIENT: 2,
    EXT_SOURCE_2: 0.2629,
    ...overrides,
  };
}

export interface FakeEngineOptions {
  /** What `score` does: answer, throw OverloadedError, or throw an unexpected error. */
  mode?: 'ok' | 'overloaded' | 'crash';
  queueDepth?: number;
  load?: 'ok' | 'fail' | 'never';
}

/** An engine answering from income and credit, as the real one would shape its results. */
export function fakeEngine(options: FakeEngineOptions = {}): ScoringEngine {
  const schema = compileInputSchema(SCHEMA_DOCUMENT);
  const model = { name: 'fixture-credit', version: '1', alias: 'champion' };
  const answer = (applicant: Applicant): ScoreResult => {
    if (options.mode === 'overloaded')
      throw Object.assign(new Error('the scoring queue is full'), { code: 'OVERLOADED' });
    if (options.mode === 'crash') throw new Error('boom: secret internals');
    const ratio = Number(applicant.AMT_CREDIT) / Number(applicant.AMT_INCOME_TOTAL);
    const probability = Math.min(0.99, Math.max(0.01, ratio / 20));
    return {
      probability,
      decision: probability >= 0.2 ? 'refuse' : 'approve',
      threshold: 0.2,
      model,
      served_by: 'champion',
      degraded: false,
      cache_hit: false,
      latency: { queue_ms: 0.1, inference_ms: 0.2 },
    };
  };
  return {
    ready: true,
    schema,
    score: async (applicant) => answer(applicant),
    scoreMany: async (applicants) => applicants.map(answer),
    scoreColumns: async () => {
      throw new Error('the fake engine does not score typed columns');
    },
    queueDepth: () => options.queueDepth ?? 0,
    describe: () => ({
      ready: true,
      models: [
        {
          ...model,
          role: 'champion',
          dir: '/models/fixture-credit/1',
          kind: 'fake',
          threshold: 0.2,
          provider: 'cpu',
          providersSkipped: [],
          workers: 1,
          liveWorkers: 1,
          intraOpThreads: 1,
          inputs: ['AMT_INCOME_TOTAL'],
          outputs: ['probabilities'],
          loadMs: 1,
          breaker: 'closed',
        },
      ],
      options: {
        maxBatchSize: 64,
        maxWaitMs: 1,
        deadlineMs: 250,
        maxQueue: 10000,
        cacheSize: 0,
        breaker: { failureThreshold: 5, openMs: 30000 },
      },
    }),
    stats: () => ({
      served: { champion: 0, fallback: 0, rules: 0 },
      cache: { hits: 0, misses: 0, size: 0 },
      workerRestarts: 0,
    }),
    terminateWorker: async () => undefined,
    close: async () => undefined,
  };
}

export function fakeDeps(options: FakeEngineOptions = {}, extra: Partial<ServerDeps> = {}): ServerDeps {
  return {
    loadEngine: () => {
      if (options.load === 'fail') return Promise.reject(new Error('model.onnx: invalid protobuf'));
      if (options.load === 'never') return new Promise<never>(() => undefined);
      return Promise.resolve(fakeEngine(options));
    },
    logger: false,
    ...extra,
  };
}

/** A fresh server on a fake engine, loaded and ready. */
export async function fakeServer(
  dir: string,
  options: FakeEngineOptions = {},
  env: Record<string, string> = {},
): Promise<FastifyInstance> {
  const app = await buildServer(testConfig(dir, env), fakeDeps(options));
  if (options.load !== 'never') await app.vigie.engine.settled();
  return app;
}

export function auth(key = SCORING_KEY): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** Every record in a log folder, plain and gzipped files alike, in file order. */
export function readRecords(logDir: string): LogRecord[] {
  const records: LogRecord[] = [];
  for (const name of readdirSync(logDir)
    .filter((n) => n.startsWith('predictions-'))
    .sort()) {
    const raw = readFileSync(path.join(logDir, name));
    const text = name.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const parsed = parseLogLine(line);
      if (!parsed.ok) throw new Error(`unreadable log line in ${name}: ${parsed.reason} ${parsed.detail}`);
      records.push(parsed.record);
    }
  }
  return records;
}
