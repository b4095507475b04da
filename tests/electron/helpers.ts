/** Fixtures for console backend tests: a temporary folder with a store, settings and the fixture model registry. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendConfig } from '../../console-api/protocol.ts';

export const FIXTURE_MODELS = fileURLToPath(new URL('../fixtures/models/', import.meta.url));

export function tempConsole() {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-console-test-'));
  const config: BackendConfig = {
    dbPath: join(dir, 'store.sqlite'),
    settingsPath: join(dir, 'console-settings.json'),
    modelsDir: FIXTURE_MODELS,
    workDir: join(dir, 'work'),
    persistentVault: false,
  };
  return { dir, config, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A log record as the API writes it (CONTRACT.md section 3). */
export function logRecord(i: number, ts: number, extra: Record<string, unknown> = {}) {
  return {
    format_version: 1,
    ts: new Date(ts).toISOString(),
    request_id: `req-${i}`,
    replica: 'api-0',
    route: '/v1/score',
    http_status: 200,
    status: 'ok',
    model: { name: 'fixture-credit', version: '1', alias: 'champion' },
    served_by: 'champion',
    degraded: false,
    cache_hit: false,
    applicant_ref: `ref-${i}`,
    input: { AMT_INCOME_TOTAL: 100_000 + i, AMT_CREDIT: 300_000, CODE_GENDER: i % 2 ? 'M' : 'F' },
    output: { probability: 0.05 + (i % 10) / 100, decision: i % 10 < 6 ? 'approve' : 'decline', threshold: 0.11 },
    latency_ms: { total: 2 + (i % 5) },
    error: null,
    client: 'key-1',
    ...extra,
  };
}

/** Writes a .jsonl file of `count` records an hour apart, then the given bad lines. */
export function writeLogFile(dir: string, name: string, count: number, badLines: string[] = []): string {
  const start = Date.UTC(2026, 10, 20);
  const lines = Array.from({ length: count }, (_, i) => JSON.stringify(logRecord(i, start + i * 60_000)));
  const file = join(dir, name);
  writeFileSync(file, `${[...lines, ...badLines].join('\n')}\n`);
  return file;
}
