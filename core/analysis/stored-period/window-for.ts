import type { WindowSize } from '../drift/windows.ts';

const DAY = 86_400_000;

/** Trend windows of about two dozen points whatever the period: hours up to 3 days, days up to 90, then weeks. */
export function windowFor(spanMs: number): WindowSize {
  if (spanMs <= 3 * DAY) return 'hour';
  if (spanMs <= 90 * DAY) return 'day';
  return 'week';
}
