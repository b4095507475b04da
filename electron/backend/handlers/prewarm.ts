/**
 * Starts, as soon as the data is there, the analyses the pages open on: the store's anomalies (every period's come
 * from it) and the drift of the range picker's default period (the last 7 days of data), in the analysis worker.
 */
import type { Services } from '../services.ts';
import { storeAnomalies } from './anomalies.ts';
import { analyse } from './drift.ts';

const WEEK = 7 * 86_400_000;

export function prewarm(services: Services): void {
  const bounds = services.bounds();
  if (!bounds) return;
  const to = bounds.to + 1;
  const range = { from: Math.max(bounds.from, to - WEEK), to };
  // Anomalies first: one analysis serves every period, and the worker answers in order.
  void storeAnomalies(services).catch(() => undefined);
  void analyse(services, range, undefined, undefined).catch(() => undefined);
}
