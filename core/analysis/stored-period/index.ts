export {
  analyseStoredPeriod,
  completePending,
  packageReference,
  resolvePeriod,
  type StoredPeriodAnalysis,
  type StoredPeriodOptions,
} from './analyse-stored-period.ts';
export type { ServedByDrift } from './by-served-by.ts';
export { DRIFT_STATUSES, QUALITY_STATUSES } from './populations.ts';
export { sampleStep } from './sampled-columns.ts';
export { buildSketches } from './sketch-lane.ts';
export type { SketchStore, StoredSketch } from './sketch-store.ts';
export { windowFor } from './window-for.ts';
