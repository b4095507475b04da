import type { Random } from './prng.ts';

/** Relative request rate per UTC hour: quiet at night, busy during office hours, a dip at lunch. */
export const HOURLY_WEIGHTS: readonly number[] = [
  0.12, 0.08, 0.05, 0.04, 0.04, 0.07, 0.18, 0.42, 0.78, 1.0, 1.1, 1.12, 0.95, 1.0, 1.1, 1.15, 1.1, 1.0, 0.9, 0.8, 0.66,
  0.5, 0.34, 0.2,
];

/** Relative request rate per UTC weekday, Sunday first: weekends are quieter. */
export const WEEKDAY_WEIGHTS: readonly number[] = [0.45, 1.0, 1.0, 1.0, 1.0, 0.95, 0.6];

const HOUR_MS = 3_600_000;

/**
 * How many of `rows` requests fall in each hour of the period: the rhythm above with ±8 % noise per hour, split by
 * cumulative rounding so the counts add up to `rows` exactly.
 */
export function hourlyCounts(rows: number, days: number, startMs: number, random: Random): Int32Array {
  const hours = days * 24;
  const weights = new Float64Array(hours);
  let total = 0;
  for (let hour = 0; hour < hours; hour += 1) {
    const date = new Date(startMs + hour * HOUR_MS);
    const base = HOURLY_WEIGHTS[date.getUTCHours()]! * WEEKDAY_WEIGHTS[date.getUTCDay()]!;
    weights[hour] = base * Math.max(0.5, 1 + 0.08 * random.normal());
    total += weights[hour]!;
  }
  const counts = new Int32Array(hours);
  let cumulative = 0;
  let assigned = 0;
  for (let hour = 0; hour < hours; hour += 1) {
    cumulative += weights[hour]!;
    const upTo = hour === hours - 1 ? rows : Math.round((rows * cumulative) / total);
    counts[hour] = upTo - assigned;
    assigned = upTo;
  }
  return counts;
}
