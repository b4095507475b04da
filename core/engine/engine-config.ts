import os from 'node:os';
import type { BreakerOptions, EngineObserver, EngineOptions, GraphOptimizationLevel } from './types.ts';

export interface EngineConfig {
  modelsDir: string;
  champion: string;
  /** undefined: the registry's `fallback` alias when there is one. */
  fallback: string | null | undefined;
  workers: number;
  intraOpThreads: number;
  graphOptimizationLevel: GraphOptimizationLevel;
  maxBatchSize: number;
  maxWaitMs: number;
  deadlineMs: number;
  maxQueue: number;
  loneApplicantsInline: boolean;
  providers: string[];
  cacheSize: number;
  breaker: BreakerOptions;
  observer: EngineObserver;
  clock: () => number;
  log: (message: string) => void;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1)
    throw new RangeError(`${name} must be a positive integer, got ${chosen}`);
  return chosen;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (typeof chosen !== 'number' || Number.isNaN(chosen) || chosen < 0)
    throw new RangeError(`${name} must be >= 0, got ${chosen}`);
  return chosen;
}

/** Applies the documented defaults (types.ts) and checks every option once. */
export function resolveEngineConfig(options: EngineOptions): EngineConfig {
  const cores = os.availableParallelism();
  const workers = positiveInteger('workers', options.workers, cores);
  const providers = [...(options.providers ?? ['cpu'])].map((provider) => provider.trim().toLowerCase());
  if (!providers.includes('cpu')) providers.push('cpu');
  return Object.freeze({
    modelsDir: options.modelsDir ?? 'models',
    champion: options.champion ?? 'champion',
    fallback: options.fallback,
    workers,
    intraOpThreads: positiveInteger('intraOpThreads', options.intraOpThreads, Math.max(1, Math.floor(cores / workers))),
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    maxBatchSize: positiveInteger('maxBatchSize', options.maxBatchSize, 64),
    maxWaitMs: nonNegative('maxWaitMs', options.maxWaitMs, 1),
    deadlineMs: nonNegative('deadlineMs', options.deadlineMs, 250),
    maxQueue: positiveInteger('maxQueue', options.maxQueue, 10_000),
    loneApplicantsInline: options.loneApplicantsInline ?? false,
    providers,
    cacheSize: Math.floor(nonNegative('cacheSize', options.cacheSize, 0)),
    breaker: Object.freeze({
      failureThreshold: positiveInteger('breaker.failureThreshold', options.breaker?.failureThreshold, 5),
      openMs: nonNegative('breaker.openMs', options.breaker?.openMs, 30_000),
    }),
    observer: options.observer ?? {},
    clock: options.clock ?? Date.now,
    log: options.log ?? (() => undefined),
  });
}
