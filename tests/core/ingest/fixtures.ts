/** Builds log records and log files for the ingestion and store tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach } from 'vitest';
import type { LogRecord } from '../../../core/contract/index.ts';
import { openStore, type Store } from '../../../db/index.ts';

export const T0 = Date.parse('2026-11-21T10:00:00.000Z');

const INCOME_TYPES = ['Working', 'Pensioner', 'State servant', 'Commercial associate'];

/** A valid `ok` record; `i` varies its id, time, inputs and outputs deterministically. */
export function makeRecord(i: number, overrides: Partial<LogRecord> = {}): LogRecord {
  const probability = ((i * 37) % 100) / 100;
  return {
    format_version: 1,
    ts: new Date(T0 + i * 1000).toISOString(),
    request_id: `req-${String(i).padStart(6, '0')}`,
    replica: 'api-0',
    route: '/v1/score',
    http_status: 200,
    status: 'ok',
    model: { name: 'credit-default', version: '3', alias: 'champion' },
    served_by: 'champion',
    degraded: false,
    cache_hit: false,
    applicant_ref: `ref-${i}`,
    input: {
      SK_ID_CURR: 100000 + i,
      NAME_CONTRACT_TYPE: 'Cash loans',
      CODE_GENDER: i % 2 === 0 ? 'F' : 'M',
      FLAG_OWN_CAR: 'N',
      FLAG_OWN_REALTY: 'Y',
      CNT_CHILDREN: i % 3,
      AMT_INCOME_TOTAL: 100000 + i * 10,
      AMT_CREDIT: 400000,
      AMT_ANNUITY: i % 5 === 0 ? null : 24700.5,
      NAME_INCOME_TYPE: INCOME_TYPES[i % INCOME_TYPES.length],
      NAME_EDUCATION_TYPE: 'Higher education',
      NAME_FAMILY_STATUS: 'Married',
      NAME_HOUSING_TYPE: 'House / apartment',
      REGION_POPULATION_RELATIVE: 0.0188,
      REGION_RATING_CLIENT: 2,
      DAYS_BIRTH: -12000,
      DAYS_EMPLOYED: -1000,
      DAYS_REGISTRATION: -3000,
      DAYS_ID_PUBLISH: -2000,
      EXT_SOURCE_2: 0.5,
    },
    output: { probability, decision: probability < 0.11 ? 'approve' : 'refuse', threshold: 0.11 },
    latency_ms: { total: 1 + (i % 10), queue: 0.1, inference: 0.5 },
    error: null,
    client: 'key-1',
    ...overrides,
  };
}

export function line(record: unknown): string {
  return JSON.stringify(record);
}

export interface TempDir {
  path: string;
  file(name: string, content: string | Buffer, options?: { gzip?: boolean }): string;
  cleanup(): void;
}

export function tempDir(): TempDir {
  const path = mkdtempSync(join(tmpdir(), 'vigie-ingest-'));
  return {
    path,
    file(name, content, options = {}) {
      const full = join(path, name);
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      writeFileSync(full, options.gzip ? gzipSync(bytes) : bytes);
      return full;
    },
    cleanup() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Lines joined with "\n", ending with one. */
export function jsonl(lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

export function records(from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(line(makeRecord(i)));
  return out;
}

/**
 * Registers a fresh temporary folder per test and closes every store the test opened: returns accessors for the
 * current test's folder and a maker of in-memory stores.
 */
export function useTempStores(): { dir: () => TempDir; newStore: () => Store } {
  let current: TempDir | null = null;
  const stores: Store[] = [];
  beforeEach(() => {
    current = tempDir();
  });
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    current?.cleanup();
    current = null;
  });
  return {
    dir: () => current!,
    newStore: () => {
      const store = openStore(':memory:');
      stores.push(store);
      return store;
    },
  };
}
