/** The production engine for a configuration: the champion and fallback from the models folder, on worker threads. */
import { createEngine, type EngineObserver, type ScoringEngine } from '../core/engine/index.ts';
import type { ServerConfig } from './config.ts';

export function engineLoader(
  config: ServerConfig,
  log: (message: string) => void = () => undefined,
): (observer: EngineObserver) => Promise<ScoringEngine> {
  return (observer) =>
    createEngine({
      modelsDir: config.modelsDir,
      champion: config.champion,
      ...(config.fallback !== undefined ? { fallback: config.fallback } : {}),
      ...(config.workers !== null ? { workers: config.workers } : {}),
      maxBatchSize: config.maxBatchSize,
      maxWaitMs: config.maxBatchWaitMs,
      deadlineMs: config.deadlineMs,
      maxQueue: config.maxQueue,
      cacheSize: config.cacheSize,
      observer,
      log,
    });
}
