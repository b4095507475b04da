/**
 * Per-window operational figures from the records' status, latency and degraded flag. Latency percentiles use the
 * store rollup's histogram definition, so an hour here shows the p99 the Overview shows for it.
 */
import { STATUS_CODES, type OperationalData } from '../source.ts';
import { latencyHistogram, latencyQuantile } from '../latency-histogram.ts';
import { sliceWindows, windowLength, windowStart, type WindowSize } from '../drift/windows.ts';

export interface OperationalWindow {
  start: number;
  end: number;
  /** Every request of the window. */
  requests: number;
  ok: number;
  errors: number;
  invalid: number;
  rejected: number;
  /** Answered requests (ok) served degraded: by the fallback model or the rules. */
  degraded: number;
  /** Latency quantiles (ms, core/analysis/latency-histogram.ts) over the requests that recorded one; NaN when none did. */
  latencyP50: number;
  latencyP95: number;
  latencyP99: number;
  latencyCount: number;
}

/** Aggregates records into windows; windows with no request between the first and the last are kept with zeros. */
export function operationalWindows(data: OperationalData, size: WindowSize): OperationalWindow[] {
  const out: OperationalWindow[] = [];
  const slices = sliceWindows(data.ts, size);
  let previousEnd: number | null = null;
  for (const slice of slices) {
    // Silent windows matter (an outage): fill the gaps with empty windows.
    while (previousEnd !== null && previousEnd < slice.start) {
      const start = windowStart(previousEnd, size);
      const end = start + windowLength(size, start);
      out.push(emptyWindow(start, end));
      previousEnd = end;
    }
    let ok = 0;
    let errors = 0;
    let invalid = 0;
    let rejected = 0;
    let degraded = 0;
    for (let i = slice.from; i < slice.to; i += 1) {
      const status = data.status[i];
      if (status === STATUS_CODES.ok) {
        ok += 1;
        if (data.degraded[i]) degraded += 1;
      } else if (status === STATUS_CODES.error) errors += 1;
      else if (status === STATUS_CODES.invalid) invalid += 1;
      else if (status === STATUS_CODES.rejected) rejected += 1;
    }
    const latencies = latencyHistogram(data.latencyMs, slice.from, slice.to);
    let latencyCount = 0;
    for (const n of latencies) latencyCount += n;
    const q = (p: number) => latencyQuantile(latencies, p) ?? Number.NaN;
    out.push({
      start: slice.start,
      end: slice.end,
      requests: slice.to - slice.from,
      ok,
      errors,
      invalid,
      rejected,
      degraded,
      latencyP50: q(0.5),
      latencyP95: q(0.95),
      latencyP99: q(0.99),
      latencyCount,
    });
    previousEnd = slice.end;
  }
  return out;
}

function emptyWindow(start: number, end: number): OperationalWindow {
  return {
    start,
    end,
    requests: 0,
    ok: 0,
    errors: 0,
    invalid: 0,
    rejected: 0,
    degraded: 0,
    latencyP50: Number.NaN,
    latencyP95: Number.NaN,
    latencyP99: Number.NaN,
    latencyCount: 0,
  };
}
