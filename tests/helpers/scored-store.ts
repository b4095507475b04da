/**
 * A log store holding simulated production traffic answered by a real model (the repository's champion unless told
 * otherwise), as a replay reads it. Shared by the replay tests of core, CLI and console.
 */
import { fileURLToPath } from 'node:url';
import { ingestRecords } from '../../core/ingest/index.ts';
import { createEngine } from '../../core/engine/index.ts';
import type { LogRecord } from '../../core/contract/index.ts';
import { generateTraffic, scoreTraffic } from '../../core/simulate/index.ts';
import { openStore, type Store } from '../../db/index.ts';

export const MODELS_DIR = fileURLToPath(new URL('../../models', import.meta.url));

export interface ScoredStoreOptions {
  file?: string;
  rows?: number;
  days?: number;
  seed?: number;
  start?: string;
  model?: string;
  /** Changes each record before it is stored (add a shadow answer, an arm). */
  edit?: (record: LogRecord, index: number) => void;
}

export async function scoredStore(options: ScoredStoreOptions = {}): Promise<Store> {
  const store = openStore(options.file ?? ':memory:', { readThreads: 1 });
  const engine = await createEngine({
    modelsDir: MODELS_DIR,
    champion: options.model ?? 'champion',
    fallback: null,
    workers: 1,
  });
  try {
    const traffic = generateTraffic({
      days: options.days ?? 2,
      rows: options.rows ?? 3000,
      seed: options.seed ?? 7,
      start: options.start ?? '2026-11-01',
      schema: engine.schema,
    });
    let index = 0;
    async function* edited(): AsyncGenerator<LogRecord> {
      for await (const record of scoreTraffic(traffic, engine)) {
        options.edit?.(record, index++);
        yield record;
      }
    }
    await ingestRecords(store, edited(), 'test:scored');
  } finally {
    await engine.close();
  }
  return store;
}
