/**
 * The API's own split of a request, from its production log records (`latency_ms.queue`, `.inference`, `.total`),
 * per hour, and what the inference time costs. `db/` answers the query; the core only declares what it needs.
 */
import type { Prices } from './types.ts';

export interface ApiSplitHour {
  /** Start of the hour, epoch milliseconds. */
  hour: number;
  requests: number;
  queue_ms: number | null;
  inference_ms: number | null;
  total_ms: number | null;
}

export interface ApiSplitSource {
  /** Answered requests (`status = ok`) per hour of [from, to). */
  apiSplitByHour(range: { from?: number; to?: number }): ApiSplitHour[];
}

export interface PeriodCost {
  requests: number;
  inferenceCoreSeconds: number;
  cost: number;
  costPer1000: number | null;
  currency: string;
}

/**
 * Prices the inference time the logs record as core-seconds (one intra-op thread per inference, as the API runs by
 * default). HTTP, validation and logging are left out: they are not model cost.
 */
export function periodCost(hours: readonly ApiSplitHour[], prices: Prices): PeriodCost {
  const requests = hours.reduce((sum, hour) => sum + hour.requests, 0);
  const seconds = hours.reduce((sum, hour) => sum + ((hour.inference_ms ?? 0) * hour.requests) / 1000, 0);
  const cost = (seconds * prices.coreHour) / 3600;
  return {
    requests,
    inferenceCoreSeconds: seconds,
    cost,
    costPer1000: requests > 0 ? (cost * 1000) / requests : null,
    currency: prices.currency,
  };
}
