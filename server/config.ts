/**
 * The API's configuration: read from the environment once at start-up, checked, frozen and passed down.
 * This is the only module of the server that reads `process.env` (STYLE.md); every option is listed in README.md
 * ("Scoring API" → "Configuration") with its default.
 */
import os from 'node:os';
import path from 'node:path';

export interface ServerConfig {
  /** Listening address. Flag `--host`, env `VIGIE_HOST`. @default '127.0.0.1' */
  readonly host: string;
  /** Listening port; 0 picks a free one. Flag `--port`, env `VIGIE_PORT`. @default 8080 */
  readonly port: number;
  /** Scoring keys (`VIGIE_API_KEYS`, comma-separated). When empty, one is generated and kept in `apiKeyFile`. @default [] */
  readonly apiKeys: readonly string[];
  /** Admin keys (`VIGIE_ADMIN_KEYS`): logs, log files; they may also score. @default [] */
  readonly adminKeys: readonly string[];
  /** Where a generated scoring key is kept (mode 0600) and re-read on the next start. @default 'var/api-key' */
  readonly apiKeyFile: string;
  /** Secret of the keyed hash (HMAC-SHA256) that pseudonymises SK_ID_CURR in the logs (`VIGIE_HASH_KEY`). @default generated, kept in `hashKeyFile` */
  readonly hashKey: string | null;
  /** Where a generated hash key is kept (mode 0600). @default 'var/hash-key' */
  readonly hashKeyFile: string;
  /** Folder of the production log files. @default 'var/logs' */
  readonly logDir: string;
  /** Folder of the model packages and `registry.json`. @default 'models' */
  readonly modelsDir: string;
  /** Champion to serve: a registry alias, a version of the registered model or a package folder (`VIGIE_CHAMPION`). @default 'champion' */
  readonly champion: string;
  /** Fallback model, same forms; `none` disables it (`VIGIE_FALLBACK`). @default the registry's `fallback` alias */
  readonly fallback: string | null | undefined;
  /**
   * Replica id written in every record and in the log file names (letters, digits, `_`, `-`), `VIGIE_REPLICA`.
   * @default the host name plus a random suffix, generated once and kept in `replicaFile` (server/replica-id.ts)
   */
  readonly replica: string;
  /** Where the generated replica id is kept: `<logDir>/replica-id`; null when `VIGIE_REPLICA` is set. */
  readonly replicaFile: string | null;
  /** Requests per key per window (`VIGIE_RATE_LIMIT_MAX`). @default 6000 */
  readonly rateLimitMax: number;
  /** Rate-limit window in milliseconds. @default 60000 */
  readonly rateLimitWindowMs: number;
  /** Largest body of `POST /v1/score`, bytes. @default 65536 */
  readonly bodyLimit: number;
  /** Largest body of `POST /v1/score/batch`, bytes. @default 4194304 */
  readonly batchBodyLimit: number;
  /** Most applicants in one batch request. @default 1000 */
  readonly batchMaxItems: number;
  /** Applicants waiting for the champion before requests are shed with 503 OVERLOADED. @default 2000 */
  readonly maxQueue: number;
  /** Per-model deadline in ms before the next link of the fallback chain answers. @default 250 */
  readonly deadlineMs: number;
  /** Worker threads per model; null lets the engine choose (one per core). @default null */
  readonly workers: number | null;
  /** Micro-batch size of the engine. @default 64 */
  readonly maxBatchSize: number;
  /** Longest wait of the first applicant of a micro-batch, ms. @default 1 */
  readonly maxBatchWaitMs: number;
  /** Engine result cache entries (0 = off). @default 0 */
  readonly cacheSize: number;
  /**
   * Golden applicants run through the request path before /ready says yes (0 = no warm-up; decision 1614).
   * @default 1500
   */
  readonly warmUpRequests: number;
  /** A log file is closed and a new part started past this size, bytes. @default 67108864 */
  readonly logMaxFileBytes: number;
  /** Longest time between two fsyncs of the open log file, ms. @default 100 */
  readonly logFsyncMs: number;
  /** Compress closed log files with gzip in the background. @default true */
  readonly logGzip: boolean;
  /** `/ready` reports the disk as full below this much free space in the log folder, bytes. @default 67108864 */
  readonly logMinFreeBytes: number;
  /** Longest drain on SIGTERM/SIGINT before open connections are cut, ms. @default 8000 */
  readonly shutdownTimeoutMs: number;
  /** Trust `X-Forwarded-*` headers (behind a load balancer). @default false */
  readonly trustProxy: boolean;
  /** Serve Swagger UI at `/docs`. @default true */
  readonly docs: boolean;
  /** Level of the operational log on stdout (pino): fatal, error, warn, info, debug, silent. @default 'info' */
  readonly logLevel: string;
  /** Shadow model scoring answered requests off the request path (`VIGIE_SHADOW_MODEL`, same forms as the champion). @default null (off) */
  readonly shadowModel: string | null;
  /** Share of answered requests the shadow scores, 0–1 (`VIGIE_SHADOW_SAMPLE`). @default 1 */
  readonly shadowSample: number;
  /** Shadow work waiting or in flight before new work is dropped and counted (`VIGIE_SHADOW_MAX_QUEUE`). @default 1000 */
  readonly shadowMaxQueue: number;
  /** Deadline of one shadow answer in ms; the record waits at most this long for it (`VIGIE_SHADOW_DEADLINE_MS`). @default 250 */
  readonly shadowDeadlineMs: number;
  /** Canary: the model answering a sticky share of applicants, and that share in percent (`VIGIE_CANARY=challenger:5`). @default null (off) */
  readonly canary: { readonly model: string; readonly percent: number } | null;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const REPLICA = /^[A-Za-z0-9_-]{1,64}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MIN_KEY_LENGTH = 16;

type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

function keys(env: Env, name: string): string[] {
  const list = (raw(env, name) ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  for (const [index, key] of list.entries()) {
    // The key itself is never echoed, only its position, so a mistake does not leak it into a terminal or CI log.
    if (key.length < MIN_KEY_LENGTH || /\s/.test(key)) {
      throw new ConfigError(`${name}: key #${index + 1} must be at least ${MIN_KEY_LENGTH} characters without spaces`);
    }
  }
  return list;
}

/** The host name made safe for a replica id: the stem of the generated default (server/replica-id.ts). */
export function defaultReplica(): string {
  const name = os
    .hostname()
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .slice(0, 64);
  return REPLICA.test(name) ? name : 'api-0';
}

function share(env: Env, name: string, fallback: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || parsed > 1) {
    throw new ConfigError(`${name} must be a share from 0 to 1 (e.g. 0.1 for one request in ten), got "${value}"`);
  }
  return parsed;
}

/** `challenger:5` → the model reference and the share of applicants in percent (0 < percent ≤ 100). */
function canary(env: Env): ServerConfig['canary'] {
  const value = raw(env, 'VIGIE_CANARY');
  if (value === undefined) return null;
  const colon = value.lastIndexOf(':');
  const model = colon > 0 ? value.slice(0, colon).trim() : '';
  const percentText = colon > 0 ? value.slice(colon + 1).trim() : '';
  const percent = Number(percentText);
  if (model === '' || !/^\d*\.?\d+$/.test(percentText) || percent <= 0 || percent > 100) {
    throw new ConfigError(
      `VIGIE_CANARY must be <model>:<percent of applicants>, e.g. challenger:5 (percent above 0, at most 100), got "${value}"`,
    );
  }
  return Object.freeze({ model, percent });
}

/** Values the command line sets (flags win over the environment). */
export interface ConfigOverrides {
  host?: string;
  port?: number;
}

/** Parses the configuration from an environment; throws ConfigError naming the variable and the rule. */
export function parseConfig(env: Env, overrides: ConfigOverrides = {}, cwd = process.cwd()): ServerConfig {
  const resolve = (name: string, fallback: string): string => path.resolve(cwd, raw(env, name) ?? fallback);
  const explicitReplica = raw(env, 'VIGIE_REPLICA');
  const replica = explicitReplica ?? defaultReplica();
  if (!REPLICA.test(replica)) {
    throw new ConfigError(`VIGIE_REPLICA must be 1-64 letters, digits, "_" or "-", got "${replica}"`);
  }
  const hashKey = raw(env, 'VIGIE_HASH_KEY') ?? null;
  if (hashKey !== null && hashKey.length < MIN_KEY_LENGTH) {
    throw new ConfigError(`VIGIE_HASH_KEY must be at least ${MIN_KEY_LENGTH} characters`);
  }
  const logLevel = raw(env, 'VIGIE_LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`VIGIE_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const apiKeys = keys(env, 'VIGIE_API_KEYS');
  const adminKeys = keys(env, 'VIGIE_ADMIN_KEYS');
  if (apiKeys.some((key) => adminKeys.includes(key))) {
    throw new ConfigError('a key cannot be in both VIGIE_API_KEYS and VIGIE_ADMIN_KEYS');
  }
  const workers = raw(env, 'VIGIE_WORKERS') === undefined ? null : integer(env, 'VIGIE_WORKERS', 1, 1, 64);
  const config: ServerConfig = {
    host: overrides.host ?? raw(env, 'VIGIE_HOST') ?? '127.0.0.1',
    port: overrides.port ?? integer(env, 'VIGIE_PORT', 8080, 0, 65535),
    apiKeys,
    adminKeys,
    apiKeyFile: resolve('VIGIE_API_KEY_FILE', 'var/api-key'),
    hashKey,
    hashKeyFile: resolve('VIGIE_HASH_KEY_FILE', 'var/hash-key'),
    logDir: resolve('VIGIE_LOG_DIR', 'var/logs'),
    modelsDir: resolve('VIGIE_MODELS_DIR', 'models'),
    champion: raw(env, 'VIGIE_CHAMPION') ?? 'champion',
    fallback: raw(env, 'VIGIE_FALLBACK') === 'none' ? null : raw(env, 'VIGIE_FALLBACK'),
    replica,
    replicaFile: explicitReplica === undefined ? path.join(resolve('VIGIE_LOG_DIR', 'var/logs'), 'replica-id') : null,
    rateLimitMax: integer(env, 'VIGIE_RATE_LIMIT_MAX', 6000, 1),
    rateLimitWindowMs: integer(env, 'VIGIE_RATE_LIMIT_WINDOW_MS', 60_000, 100, 86_400_000),
    bodyLimit: integer(env, 'VIGIE_BODY_LIMIT', 65_536, 1024, 16_777_216),
    batchBodyLimit: integer(env, 'VIGIE_BATCH_BODY_LIMIT', 4_194_304, 1024, 67_108_864),
    batchMaxItems: integer(env, 'VIGIE_BATCH_MAX_ITEMS', 1000, 1, 10_000),
    maxQueue: integer(env, 'VIGIE_MAX_QUEUE', 2000, 1, 1_000_000),
    deadlineMs: integer(env, 'VIGIE_DEADLINE_MS', 250, 1, 60_000),
    workers,
    maxBatchSize: integer(env, 'VIGIE_MAX_BATCH_SIZE', 64, 1, 4096),
    maxBatchWaitMs: integer(env, 'VIGIE_MAX_BATCH_WAIT_MS', 1, 0, 1000),
    cacheSize: integer(env, 'VIGIE_CACHE_SIZE', 0, 0, 10_000_000),
    warmUpRequests: integer(env, 'VIGIE_WARM_UP_REQUESTS', 1500, 0, 1_000_000),
    logMaxFileBytes: integer(env, 'VIGIE_LOG_MAX_FILE_BYTES', 67_108_864, 4096),
    logFsyncMs: integer(env, 'VIGIE_LOG_FSYNC_MS', 100, 1, 100),
    logGzip: boolean(env, 'VIGIE_LOG_GZIP', true),
    logMinFreeBytes: integer(env, 'VIGIE_LOG_MIN_FREE_BYTES', 67_108_864, 0),
    shutdownTimeoutMs: integer(env, 'VIGIE_SHUTDOWN_TIMEOUT_MS', 8000, 100, 60_000),
    trustProxy: boolean(env, 'VIGIE_TRUST_PROXY', false),
    docs: boolean(env, 'VIGIE_DOCS', true),
    logLevel,
    shadowModel: raw(env, 'VIGIE_SHADOW_MODEL') ?? null,
    shadowSample: share(env, 'VIGIE_SHADOW_SAMPLE', 1),
    shadowMaxQueue: integer(env, 'VIGIE_SHADOW_MAX_QUEUE', 1000, 1, 1_000_000),
    shadowDeadlineMs: integer(env, 'VIGIE_SHADOW_DEADLINE_MS', 250, 1, 60_000),
    canary: canary(env),
  };
  return Object.freeze({ ...config, apiKeys: Object.freeze(apiKeys), adminKeys: Object.freeze(adminKeys) });
}

/** The configuration from this process's environment. */
export function configFromProcess(overrides: ConfigOverrides = {}): ServerConfig {
  return parseConfig(process.env, overrides);
}
