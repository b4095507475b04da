/** The Overview page's data: one pass over the store's per-minute rollup, plus the champion's reference histogram. */
import { ConsoleError } from '../../../console-api/errors.ts';
import type { Bucket, MethodInput, MethodOutput } from '../../../console-api/types.ts';
import { readRegistry, type RegistryDocument } from '../../../core/registry/index.ts';
import { reshareProfile } from '../reference.ts';
import type { Services } from '../services.ts';

const MINUTE = 60_000;
const BUCKET_MS = { minute: MINUTE, hour: 60 * MINUTE, day: 1440 * MINUTE } as const;

/** About a hundred bars: enough detail without a chart too dense to read. */
export function pickBucket(spanMs: number, requested: Bucket = 'auto'): 'minute' | 'hour' | 'day' {
  if (requested !== 'auto') return requested;
  if (spanMs <= 3 * 3_600_000) return 'minute';
  if (spanMs <= 10 * 86_400_000) return 'hour';
  return 'day';
}

export function effectiveRange(services: Services, range: { from?: number; to?: number } | undefined) {
  const bounds = services.bounds();
  if (!bounds) throw new ConsoleError('STORE_EMPTY');
  const from = range?.from ?? bounds.from;
  const to = range?.to ?? bounds.to + 1;
  return { bounds, from, to };
}

export async function overview(services: Services, input: MethodInput<'overview'>): Promise<MethodOutput<'overview'>> {
  const { bounds, from, to } = effectiveRange(services, input.range);
  let bucket = pickBucket(to - from, input.bucket);
  // A user-chosen minute bucket over weeks would mean too many bars; step up rather than refuse.
  while (bucket !== 'day' && (to - from) / BUCKET_MS[bucket] > 2000) bucket = bucket === 'minute' ? 'hour' : 'day';
  const result = services.memo('overview', [from, to, bucket], () =>
    services.store.overview.query({ from, to, bucket }),
  );
  const champion = await services.reference.tryGet();
  const registry = await readRegistry(services.config.modelsDir).catch((): RegistryDocument | null => null);
  const edges = result.probabilityHistogram.edges;
  const scored = result.probabilityHistogram.counts.reduce((a, b) => a + b, 0);
  const t = result.totals;
  return {
    range: { from, to },
    bounds,
    bucketMs: BUCKET_MS[bucket],
    totals: {
      requests: t.requests,
      ok: t.ok,
      invalid: t.invalid,
      rejected: t.rejected,
      error: t.error,
      approvalRate: t.approvalRate,
      errorRate: t.errorRate,
      fallbackRate: t.fallbackRate,
    },
    series: result.buckets.map((b) => ({
      t: b.start,
      ok: b.ok,
      invalid: b.invalid,
      rejected: b.rejected,
      error: b.error,
    })),
    latency: { p50: t.latencyP50Ms, p95: t.latencyP95Ms, p99: t.latencyP99Ms },
    latencySeries: result.buckets.map((b) => ({
      t: b.start,
      p50: b.latencyP50Ms,
      p95: b.latencyP95Ms,
      p99: b.latencyP99Ms,
    })),
    probability: {
      edges,
      current: result.probabilityHistogram.counts.map((c) => (scored > 0 ? c / scored : 0)),
      reference: champion?.profile.prediction ? reshareProfile(champion.profile.prediction, edges) : null,
    },
    modelVersions: result.models.map((m) => ({
      model: m.name,
      version: m.version,
      aliases: Object.entries(registry?.models[m.name]?.aliases ?? {})
        .filter(([, version]) => version === m.version)
        .map(([alias]) => alias),
      unregistered: registry !== null && !registry.models[m.name]?.versions[m.version],
      count: m.requests,
      firstSeen: m.firstSeen,
      lastSeen: m.lastSeen,
    })),
    requestsWithoutModel: Math.max(0, t.requests - result.models.reduce((sum, m) => sum + m.requests, 0)),
  };
}
