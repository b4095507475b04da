/** Calendar windows (UTC) over records in time order: hour, day, or week starting on Monday. */

export const WINDOW_SIZES = ['hour', 'day', 'week'] as const;
export type WindowSize = (typeof WINDOW_SIZES)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Start of the window that holds `ts`. */
export function windowStart(ts: number, size: WindowSize): number {
  if (size === 'hour') return Math.floor(ts / HOUR) * HOUR;
  const day = Math.floor(ts / DAY);
  if (size === 'day') return day * DAY;
  // 1970-01-01 was a Thursday: Monday-based weekday = (day + 3) mod 7.
  return (day - ((((day + 3) % 7) + 7) % 7)) * DAY;
}

export function windowLength(size: WindowSize, start: number): number {
  if (size === 'hour') return HOUR;
  if (size === 'day') return DAY;
  void start;
  return 7 * DAY;
}

export interface WindowSlice {
  start: number;
  end: number;
  /** Record indices [from, to) of the window. */
  from: number;
  to: number;
}

/** Splits time-ordered timestamps into windows; empty windows are left out. */
export function sliceWindows(ts: Float64Array, size: WindowSize): WindowSlice[] {
  const slices: WindowSlice[] = [];
  let i = 0;
  while (i < ts.length) {
    const start = windowStart(ts[i]!, size);
    const end = start + windowLength(size, start);
    let j = i + 1;
    while (j < ts.length && ts[j]! < end) j += 1;
    slices.push({ start, end, from: i, to: j });
    i = j;
  }
  return slices;
}
