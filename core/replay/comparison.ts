/**
 * The streaming comparison of two answers per request (baseline and candidate): the flip table, the Δp
 * distribution, approval rates overall and per segment, where flips concentrate and, where outcomes are known, the
 * realised AUC and cost of both. Fixed-size counters, so a million requests cost no more memory than a thousand.
 */
import type { Applicant } from '../contract/index.ts';
import { FlipConcentration } from './concentration.ts';
import { OutcomeCollector } from './outcomes.ts';
import { SEGMENT_FIELDS, segmentsOf } from './segments.ts';
import type { DeltaSummary, FlipTable, OutcomeSummary, SegmentRow } from './types.ts';

/** Δp histogram shown: 0.005 wide from −0.1 to 0.1, open-ended at both sides. */
const SHOWN_STEP = 0.005;
const SHOWN_BINS = 40;
/** |Δp| histogram the quantiles are read from: 0.0005 wide over [0, 1]. */
const FINE_STEP = 0.0005;
const FINE_BINS = 2000;

interface SegmentCounts {
  count: number;
  baselineApproved: number;
  candidateApproved: number;
  flips: number;
}

export interface Answer {
  probability: number;
  refused: boolean;
}

export class Comparison {
  /** [baseline refused][candidate refused]. */
  private readonly table = [
    [0, 0],
    [0, 0],
  ];
  private sumDelta = 0;
  private sumAbs = 0;
  private maxAbs = 0;
  private readonly shown = new Float64Array(SHOWN_BINS + 2);
  private readonly fine = new Float64Array(FINE_BINS + 1);
  /** Per segment field (SEGMENT_FIELDS order), the counts of each value. */
  private readonly segments = SEGMENT_FIELDS.map(() => new Map<string, SegmentCounts>());
  private readonly concentration: FlipConcentration;
  private readonly outcomes = new OutcomeCollector();

  constructor(fields: ReadonlyArray<{ name: string; kind: string }>) {
    this.concentration = new FlipConcentration(fields);
  }

  add(applicant: Applicant, baseline: Answer, candidate: Answer, outcome: number): void {
    const b = baseline.refused ? 1 : 0;
    const c = candidate.refused ? 1 : 0;
    this.table[b]![c]! += 1;
    const flipped = b !== c;
    const delta = candidate.probability - baseline.probability;
    const abs = Math.abs(delta);
    this.sumDelta += delta;
    this.sumAbs += abs;
    if (abs > this.maxAbs) this.maxAbs = abs;
    const bin = Math.floor((delta + SHOWN_STEP * (SHOWN_BINS / 2)) / SHOWN_STEP);
    this.shown[Math.min(SHOWN_BINS + 1, Math.max(0, bin + 1))]! += 1;
    this.fine[Math.min(FINE_BINS, Math.floor(abs / FINE_STEP))]! += 1;

    const values = segmentsOf(applicant);
    for (let s = 0; s < SEGMENT_FIELDS.length; s += 1) {
      const byValue = this.segments[s]!;
      let counts = byValue.get(values[s]!);
      if (!counts)
        byValue.set(values[s]!, (counts = { count: 0, baselineApproved: 0, candidateApproved: 0, flips: 0 }));
      counts.count += 1;
      counts.baselineApproved += 1 - b;
      counts.candidateApproved += 1 - c;
      if (flipped) counts.flips += 1;
    }
    this.concentration.add(applicant, flipped);
    if (outcome === 0 || outcome === 1)
      this.outcomes.add(baseline.probability, baseline.refused, candidate.probability, candidate.refused, outcome);
  }

  get total(): number {
    return this.table[0]![0]! + this.table[0]![1]! + this.table[1]![0]! + this.table[1]![1]!;
  }

  flips(): FlipTable {
    const total = this.total;
    const share = (n: number) => (total === 0 ? 0 : n / total);
    const approveRefuse = this.table[0]![1]!;
    const refuseApprove = this.table[1]![0]!;
    return {
      total,
      approveApprove: this.table[0]![0]!,
      approveRefuse,
      refuseApprove,
      refuseRefuse: this.table[1]![1]!,
      rates: {
        approveRefuse: share(approveRefuse),
        refuseApprove: share(refuseApprove),
        flips: share(approveRefuse + refuseApprove),
      },
    };
  }

  approval(): { baseline: number; candidate: number; change: number; changeCi: [number, number] } {
    const total = this.total;
    if (total === 0) return { baseline: 0, candidate: 0, change: 0, changeCi: [0, 0] };
    const baseline = (this.table[0]![0]! + this.table[0]![1]!) / total;
    const candidate = (this.table[0]![0]! + this.table[1]![0]!) / total;
    const changeCi = pairedChangeCi(this.table[1]![0]!, this.table[0]![1]!, total);
    return { baseline, candidate, change: candidate - baseline, changeCi };
  }

  delta(): DeltaSummary {
    const total = this.total;
    const quantile = (q: number): number => {
      if (total === 0) return 0;
      const target = q * total;
      let seen = 0;
      for (let i = 0; i <= FINE_BINS; i += 1) {
        seen += this.fine[i]!;
        if (seen >= target) return Math.min(this.maxAbs, (i + 1) * FINE_STEP);
      }
      return this.maxAbs;
    };
    const edges: number[] = [];
    for (let i = 0; i <= SHOWN_BINS; i += 1) edges.push(round((i - SHOWN_BINS / 2) * SHOWN_STEP));
    return {
      mean: total === 0 ? 0 : this.sumDelta / total,
      meanAbs: total === 0 ? 0 : this.sumAbs / total,
      maxAbs: this.maxAbs,
      p50Abs: quantile(0.5),
      p95Abs: quantile(0.95),
      p99Abs: quantile(0.99),
      edges,
      counts: Array.from(this.shown),
    };
  }

  segmentRows(): SegmentRow[] {
    const rows: SegmentRow[] = [];
    for (const [s, byValue] of this.segments.entries())
      for (const [value, counts] of byValue) {
        const field = SEGMENT_FIELDS[s]!;
        const baselineApproval = counts.baselineApproved / counts.count;
        const candidateApproval = counts.candidateApproved / counts.count;
        rows.push({
          field,
          value,
          count: counts.count,
          baselineApproval,
          candidateApproval,
          change: candidateApproval - baselineApproval,
          // refuse→approve minus approve→refuse is the approved difference; their sum is the flips.
          changeCi: pairedChangeCi(
            (counts.flips + counts.candidateApproved - counts.baselineApproved) / 2,
            (counts.flips - counts.candidateApproved + counts.baselineApproved) / 2,
            counts.count,
          ),
          flips: counts.flips,
          flipRate: counts.flips / counts.count,
        });
      }
    const order = (field: string) => SEGMENT_FIELDS.indexOf(field as (typeof SEGMENT_FIELDS)[number]);
    return rows.sort((a, b) => order(a.field) - order(b.field) || a.value.localeCompare(b.value));
  }

  concentrationRows() {
    return this.concentration.rows();
  }

  outcomeSummary(): OutcomeSummary | null {
    return this.outcomes.summary();
  }
}

/**
 * 95 % Wald interval of the change in approval rate between two decisions on the same n requests, from the
 * discordant counts (gained: refused then approved; lost: approved then refused): var = (g + l − (g − l)²/n) / n².
 */
export function pairedChangeCi(gained: number, lost: number, n: number): [number, number] {
  if (n === 0) return [0, 0];
  const change = (gained - lost) / n;
  const variance = Math.max(0, gained + lost - (gained - lost) ** 2 / n) / (n * n);
  const half = 1.959964 * Math.sqrt(variance);
  return [change - half, change + half];
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
