/**
 * The streaming comparison of two answers per request (baseline and candidate): the flip table, the Δp
 * distribution, approval rates overall and per segment, where flips concentrate and, where outcomes are known, the
 * realised AUC and cost of both. Fixed-size counters, so a million requests cost no more memory than a thousand.
 */
import type { ScoringColumns } from '../engine/index.ts';
import { FlipConcentration } from './concentration.ts';
import { OutcomeCollector } from './outcomes.ts';
import { SEGMENT_FIELDS, segmentCodes } from './segments.ts';
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

/**
 * The compared requests of a chunk: `row[k]` (k < count) is the request's row in the chunk's columns, with both
 * answers; the arrays may be longer than `count`.
 */
export interface ComparedRows {
  count: number;
  row: Int32Array;
  baselineP: Float64Array;
  /** 1 refuse, 0 approve. */
  baselineRefused: Uint8Array;
  candidateP: Float64Array;
  candidateRefused: Uint8Array;
}

export function comparedRows(capacity: number): ComparedRows {
  return {
    count: 0,
    row: new Int32Array(capacity),
    baselineP: new Float64Array(capacity),
    baselineRefused: new Uint8Array(capacity),
    candidateP: new Float64Array(capacity),
    candidateRefused: new Uint8Array(capacity),
  };
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

  /**
   * The compared requests of a chunk, read from typed columns without an object per request: counters, sums taken
   * in request order, and per segment and field tallies made per chunk then merged by value.
   */
  addRows(columns: ScoringColumns, rows: ComparedRows, outcome: Int8Array): void {
    const n = rows.count;
    const flipped = new Uint8Array(n);
    let sumDelta = this.sumDelta;
    let sumAbs = this.sumAbs;
    let maxAbs = this.maxAbs;
    const cells = [0, 0, 0, 0];
    for (let k = 0; k < n; k += 1) {
      const b = rows.baselineRefused[k]!;
      const c = rows.candidateRefused[k]!;
      cells[2 * b + c]! += 1;
      flipped[k] = b !== c ? 1 : 0;
      const delta = rows.candidateP[k]! - rows.baselineP[k]!;
      const abs = Math.abs(delta);
      sumDelta += delta;
      sumAbs += abs;
      if (abs > maxAbs) maxAbs = abs;
      const bin = Math.floor((delta + SHOWN_STEP * (SHOWN_BINS / 2)) / SHOWN_STEP);
      this.shown[Math.min(SHOWN_BINS + 1, Math.max(0, bin + 1))]! += 1;
      this.fine[Math.min(FINE_BINS, Math.floor(abs / FINE_STEP))]! += 1;
      const known = outcome[rows.row[k]!]!;
      if (known === 0 || known === 1)
        this.outcomes.add(rows.baselineP[k]!, b === 1, rows.candidateP[k]!, c === 1, known);
    }
    this.sumDelta = sumDelta;
    this.sumAbs = sumAbs;
    this.maxAbs = maxAbs;
    this.table[0]![0]! += cells[0]!;
    this.table[0]![1]! += cells[1]!;
    this.table[1]![0]! += cells[2]!;
    this.table[1]![1]! += cells[3]!;

    for (let s = 0; s < SEGMENT_FIELDS.length; s += 1) {
      const { index, keys } = segmentCodes(columns, SEGMENT_FIELDS[s]!, rows.row, n);
      // Per key: count, baseline approved, candidate approved, flips.
      const tally = new Float64Array(keys.length * 4);
      for (let k = 0; k < n; k += 1) {
        const at = index[k]! * 4;
        tally[at]! += 1;
        tally[at + 1]! += 1 - rows.baselineRefused[k]!;
        tally[at + 2]! += 1 - rows.candidateRefused[k]!;
        tally[at + 3]! += flipped[k]!;
      }
      const byValue = this.segments[s]!;
      keys.forEach((key, i) => {
        if (tally[i * 4] === 0) return;
        let counts = byValue.get(key);
        if (!counts) byValue.set(key, (counts = { count: 0, baselineApproved: 0, candidateApproved: 0, flips: 0 }));
        counts.count += tally[i * 4]!;
        counts.baselineApproved += tally[i * 4 + 1]!;
        counts.candidateApproved += tally[i * 4 + 2]!;
        counts.flips += tally[i * 4 + 3]!;
      });
    }
    this.concentration.addRows(columns, rows.row, n, flipped);
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
