/** The production engine for a configuration: the champion and fallback from the models folder, on worker threads. */
import { createEngine, type EngineObserver, type ScoringEngine } from '../core/engine/index.ts';
import type { ChallengerLoader } from './challengers.ts';
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

/**
 * Engines of the shadow model and the canary challenger. The shadow runs on one worker without a fallback (its
 * failures are recorded, never answered around) and its own queue bound; the canary arm gets the same fallback chain
 * and settings as the champion.
 */
export function challengerLoader(
  config: ServerConfig,
  log: (message: string) => void = () => undefined,
): ChallengerLoader {
  return (role, ref) =>
    role === 'shadow'
      ? createEngine({
          modelsDir: config.modelsDir,
          champion: ref,
          fallback: null,
          workers: 1,
          maxBatchSize: config.maxBatchSize,
          maxWaitMs: config.maxBatchWaitMs,
          deadlineMs: config.shadowDeadlineMs,
          maxQueue: config.shadowMaxQueue,
          log,
        })
      : createEngine({
          modelsDir: config.modelsDir,
          champion: ref,
          ...(config.fallback !== undefined ? { fallback: config.fallback } : {}),
          ...(config.workers !== null ? { workers: config.workers } : {}),
          maxBatchSize: config.maxBatchSize,
          maxWaitMs: config.maxBatchWaitMs,
          deadlineMs: config.deadlineMs,
          maxQueue: config.maxQueue,
          cacheSize: config.cacheSize,
          log,
        });
}
