/**
 * Starts the analyses the Drift and Anomalies pages open on (the range picker's default, the last 7 days of data)
 * as soon as the data is there, in the analysis worker, so those pages usually find them ready.
 */
import type { Services } from '../services.ts';
import { anomalies } from './anomalies.ts';
import { analyse } from './drift.ts';

const WEEK = 7 * 86_400_000;

export function prewarm(services: Services): void {
  const bounds = services.bounds();
  if (!bounds) return;
  const to = bounds.to + 1;
  const range = { from: Math.max(bounds.from, to - WEEK), to };
  void analyse(services, range, undefined, undefined).catch(() => undefined);
  void anomalies(services, { range }).catch(() => undefined);
}
