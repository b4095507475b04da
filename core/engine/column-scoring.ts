/**
 * The fallback chain of `scoreColumns`: champion, then fallback model for the rows the champion could not score,
 * then the conservative rule (which reads one applicant object per row it answers), as `scoreMany` runs it.
 */
import type { InputSchema } from '../contract/index.ts';
import { RULE_MODEL, RULE_THRESHOLD, ruleProbability } from './conservative-rule.ts';
import type { ModelRunner } from './model-runner.ts';
import { checkColumns, type ScoringColumns } from './typed-columns.ts';
import { SERVED_BY_CODES, type ColumnScores, type ScoreOptions, type ServedBy } from './types.ts';

export interface ColumnChain {
  schema: InputSchema;
  champion: ModelRunner;
  fallback: ModelRunner | null;
  /** The engine's served counters, incremented per row answered. */
  served: Record<ServedBy, number>;
  noteFallback(from: ServedBy, to: ServedBy, reason: string): void;
  /** Errors that end the call instead of falling back (the engine's rule). */
  isFinal(error: unknown, signal?: AbortSignal): boolean;
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The given rows of typed columns, as columns (the rows the champion left to the fallback model). */
function pickRows(columns: ScoringColumns, rows: readonly number[]): ScoringColumns {
  const take = <T extends Float64Array | Int32Array>(values: T, out: T): T => {
    rows.forEach((row, i) => (out[i] = values[row]!));
    return out;
  };
  return {
    rows: rows.length,
    numbers: new Map([...columns.numbers].map(([name, values]) => [name, take(values, new Float64Array(rows.length))])),
    categories: new Map(
      [...columns.categories].map(([name, column]) => [
        name,
        { codes: take(column.codes, new Int32Array(rows.length)), labels: column.labels },
      ]),
    ),
  };
}

export async function scoreColumnsThroughChain(
  chain: ColumnChain,
  columns: ScoringColumns,
  options: ScoreOptions,
): Promise<ColumnScores> {
  const checked = checkColumns(chain.schema, columns);
  const rows = checked.rows;
  const answerer = (runner: ModelRunner, servedBy: ServedBy) => ({
    served_by: servedBy,
    model: runner.ref,
    threshold: runner.pkg.threshold,
  });
  const scores: ColumnScores = {
    rows,
    probabilities: new Float64Array(rows),
    decisions: new Uint8Array(rows),
    servedBy: new Uint8Array(rows),
    answeredBy: [
      answerer(chain.champion, 'champion'),
      chain.fallback ? answerer(chain.fallback, 'fallback') : null,
      { served_by: 'rules', model: RULE_MODEL, threshold: RULE_THRESHOLD },
    ],
    reason: null,
    inferenceMs: 0,
  };
  if (rows === 0) return scores;
  const deadline = options.deadlineMs ?? Number.POSITIVE_INFINITY;
  const store = (row: number, probability: number, code: number, threshold: number) => {
    scores.probabilities[row] = probability;
    scores.decisions[row] = probability >= threshold ? 1 : 0;
    scores.servedBy[row] = code;
  };
  let pending: number[] | null = null; // null: every row
  let reason: string | undefined;
  const links = [
    [chain.champion, 'champion'],
    [chain.fallback, 'fallback'],
  ] as const;
  for (const [runner, servedBy] of links) {
    if (!runner || pending?.length === 0) continue;
    if (servedBy === 'fallback') chain.noteFallback('champion', 'fallback', reason!);
    const rowsNow: number[] | null = pending;
    const subset = rowsNow === null ? checked : checkColumns(chain.schema, pickRows(columns, rowsNow));
    const code = SERVED_BY_CODES[servedBy];
    const threshold = runner.pkg.threshold;
    try {
      const answer = await runner.scoreColumns(subset, deadline);
      const failed = new Set(answer.failedRows);
      scores.inferenceMs = Math.max(scores.inferenceMs, answer.inferenceMs);
      for (let j = 0; j < subset.rows; j += 1) {
        if (failed.size > 0 && failed.has(j)) continue;
        store(rowsNow === null ? j : rowsNow[j]!, answer.probabilities[j]!, code, threshold);
      }
      chain.served[servedBy] += subset.rows - failed.size;
      pending = answer.failedRows.map((j): number => (rowsNow === null ? j : rowsNow[j]!));
      if (pending.length > 0) reason = `${reason ? `${reason}; ` : ''}${servedBy}: ${answer.failure}`;
    } catch (error) {
      if (chain.isFinal(error, options.signal)) throw error;
      pending = rowsNow ?? Array.from({ length: rows }, (_, i) => i);
      reason = `${reason ? `${reason}; ` : ''}${servedBy}: ${describeFailure(error)}`;
    }
  }
  if (pending && pending.length > 0) {
    chain.noteFallback(chain.fallback ? 'fallback' : 'champion', 'rules', reason!);
    chain.served.rules += pending.length;
    for (const row of pending)
      store(row, ruleProbability(checked.applicant(row)), SERVED_BY_CODES.rules, RULE_THRESHOLD);
  }
  scores.reason = reason ?? null;
  return scores;
}
