/**
 * Starts, as soon as the data is there, the work the pages open on: the store's anomalies (every period's come from
 * them), the hourly drift sketches of every stored hour that lacks one (interactive lane, a few hours at a time, so
 * a Drift page request goes first), then the KS and Wasserstein analysis of the range picker's default period (the
 * last 7 days of data) in the background lane.
 */
import type { Services } from '../services.ts';
import { storeAnomalies } from './anomalies.ts';
import { currentDrift } from './drift.ts';

const WEEK = 7 * 86_400_000;
/** Hours counted per step: about a tenth of a second at a million records a week. */
const HOURS_PER_STEP = 6;

export function prewarm(services: Services): void {
  const bounds = services.bounds();
  if (!bounds) return;
  const to = bounds.to + 1;
  const range = { from: Math.max(bounds.from, to - WEEK), to };
  void storeAnomalies(services).catch(() => undefined);
  void services.analysis
    .buildSketches({ dbPath: services.store.file, modelsDir: services.config.modelsDir, maxHours: HOURS_PER_STEP })
    .catch(() => undefined)
    .then(() => currentDrift(services, range, undefined, undefined, true))
    .catch(() => undefined);
}
