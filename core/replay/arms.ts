/** Canary arms as the logs recorded them: how each arm answered over the period (CONTRACT.md §3, `arm`). */
import { LatencyHistogram } from './latency.ts';
import type { ArmSummary } from './types.ts';

interface ArmCounts {
  requests: number;
  approved: number;
  sumProbability: number;
  degraded: number;
  latency: LatencyHistogram;
}

export class ArmTally {
  private readonly arms = new Map<string, ArmCounts>();

  add(arm: string | null, refused: number, probability: number, servedBy: string | null, inferenceMs: number) {
    if (arm === null) return;
    let counts = this.arms.get(arm);
    if (!counts) {
      counts = { requests: 0, approved: 0, sumProbability: 0, degraded: 0, latency: new LatencyHistogram() };
      this.arms.set(arm, counts);
    }
    counts.requests += 1;
    if (refused === 0) counts.approved += 1;
    if (Number.isFinite(probability)) counts.sumProbability += probability;
    // The arm's own model answered as `champion` (champion arm) or `challenger`; anything else is the fallback chain.
    if (servedBy !== arm) counts.degraded += 1;
    counts.latency.add(inferenceMs);
  }

  summaries(): ArmSummary[] {
    return [...this.arms.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([arm, c]) => ({
        arm,
        requests: c.requests,
        approval: c.approved / c.requests,
        meanProbability: c.sumProbability / c.requests,
        degradedRate: c.degraded / c.requests,
        p99InferenceMs: c.latency.quantile(0.99),
      }));
  }
}
