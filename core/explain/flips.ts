/**
 * What flips the decision: per field, the smallest change of that field alone, within the schema's range (closed by
 * the reference sample's extremes where the schema leaves it open), that moves the probability across the threshold.
 * Numbers are searched on a grid, then the crossing nearest the current value is narrowed by bisection; categories
 * are each tried. All candidates of one round are scored as one batch.
 */
import type { Applicant, FieldSpec } from '../contract/index.ts';
import { fieldGrid, type FieldValue } from './field-grid.ts';
import { decisionOf, type ProbabilityFn } from './types.ts';

export interface FlipRow {
  field: string;
  /** The value that flips the decision, or null when no single change of this field does. */
  to: FieldValue | null;
  from: FieldValue;
  /** The change in units of the reference's standard deviation (numbers), or null (categories, no flip). */
  size: number | null;
  /** The probability at `to`. */
  probability: number | null;
}

export interface FlipResult {
  probability: number;
  threshold: number;
  decision: 'approve' | 'refuse';
  /** Fields with a flip first, smallest change first; then categories; then fields no single change flips. */
  rows: FlipRow[];
  evaluations: number;
}

export interface FlipOptions {
  threshold: number;
  fields: readonly FieldSpec[];
  sorted: ReadonlyMap<string, Float64Array>;
  /** Grid points per number field before bisection. @default 33 */
  gridPoints?: number;
  /** Bisection rounds on the crossing found. @default 12 */
  rounds?: number;
}

interface Bracket {
  field: FieldSpec;
  /** Last value on the current decision's side, and the first value on the other. */
  keep: number;
  flip: number;
  flipProbability: number;
}

function spreadOf(sorted: Float64Array | undefined): number {
  if (!sorted || sorted.length < 2) return 1;
  let mean = 0;
  for (const v of sorted) mean += v / sorted.length;
  let variance = 0;
  for (const v of sorted) variance += (v - mean) ** 2 / sorted.length;
  return Math.sqrt(variance) || 1;
}

export async function findFlips(f: ProbabilityFn, applicant: Applicant, options: FlipOptions): Promise<FlipResult> {
  const { threshold } = options;
  const [probability] = await f([applicant]);
  const decision = decisionOf(probability!, threshold);
  const flips = (p: number) => decisionOf(p, threshold) !== decision;
  let evaluations = 1;

  const candidates: Array<{ field: FieldSpec; value: FieldValue }> = [];
  for (const field of options.fields) {
    const current = applicant[field.name] ?? null;
    for (const value of fieldGrid(field, options.sorted.get(field.name), options.gridPoints ?? 33, current)) {
      if (value !== current) candidates.push({ field, value });
    }
  }
  const scored = await f(candidates.map(({ field, value }) => ({ ...applicant, [field.name]: value })));
  evaluations += candidates.length;

  const rows: FlipRow[] = [];
  const brackets: Bracket[] = [];
  for (const field of options.fields) {
    const from = applicant[field.name] ?? null;
    const mine = candidates.map((c, i) => ({ ...c, p: scored[i]! })).filter((c) => c.field === field);
    if (field.kind === 'category') {
      const best = mine
        .filter((c) => flips(c.p))
        .sort((a, b) => Math.abs(b.p - probability!) - Math.abs(a.p - probability!))[0];
      rows.push({ field: field.name, from, to: best?.value ?? null, size: null, probability: best?.p ?? null });
      continue;
    }
    // The nearest flipping grid value on each side of the current value; bisect towards the current value.
    const here = typeof from === 'number' ? from : null;
    let nearest: { value: number; p: number; keep: number } | null = null;
    if (here !== null) {
      const ordered = mine.map((c) => ({ value: c.value as number, p: c.p })).sort((a, b) => a.value - b.value);
      for (const direction of [-1, 1]) {
        const side = ordered.filter((c) => (c.value - here) * direction > 0);
        if (direction === -1) side.reverse();
        let keep = here;
        for (const c of side) {
          if (flips(c.p)) {
            if (!nearest || Math.abs(c.value - here) < Math.abs(nearest.value - here)) nearest = { ...c, keep };
            break;
          }
          keep = c.value;
        }
      }
    } else {
      const first = mine.find((c) => flips(c.p));
      if (first) nearest = { value: first.value as number, p: first.p, keep: first.value as number };
    }
    if (!nearest) {
      rows.push({ field: field.name, from, to: null, size: null, probability: null });
      continue;
    }
    brackets.push({ field, keep: nearest.keep, flip: nearest.value, flipProbability: nearest.p });
  }

  for (let round = 0; round < (options.rounds ?? 12); round += 1) {
    const open = brackets.filter((b) => {
      const gap = Math.abs(b.flip - b.keep);
      return b.field.kind === 'integer' ? gap > 1 : gap > Math.abs(b.flip) * 1e-4 + 1e-9 && b.keep !== b.flip;
    });
    if (open.length === 0) break;
    const mids = open.map((b) => {
      const mid = (b.keep + b.flip) / 2;
      return b.field.kind === 'integer' ? Math.round(mid) : mid;
    });
    const ps = await f(open.map((b, i) => ({ ...applicant, [b.field.name]: mids[i]! })));
    evaluations += open.length;
    open.forEach((b, i) => {
      if (mids[i] === b.keep || mids[i] === b.flip) {
        b.keep = b.flip;
        return;
      }
      if (flips(ps[i]!)) {
        b.flip = mids[i]!;
        b.flipProbability = ps[i]!;
      } else b.keep = mids[i]!;
    });
  }
  for (const b of brackets) {
    const from = applicant[b.field.name] ?? null;
    const size = typeof from === 'number' ? Math.abs(b.flip - from) / spreadOf(options.sorted.get(b.field.name)) : null;
    rows.push({ field: b.field.name, from, to: b.flip, size, probability: b.flipProbability });
  }
  const rank = (r: FlipRow) => (r.to === null ? 2 : r.size === null ? 1 : 0);
  rows.sort((a, b) => rank(a) - rank(b) || (a.size ?? 0) - (b.size ?? 0) || a.field.localeCompare(b.field));
  return { probability: probability!, threshold, decision, rows, evaluations };
}
