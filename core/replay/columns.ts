/**
 * A replay chunk's answers kept as typed arrays, one value per request, and the two places an applicant object is
 * still built from the typed columns: the small per-request latency probe, and a chunk the engine's column path
 * refuses (a baseline model whose schema differs from the candidate's), which then goes through `scoreMany` as before.
 */
import type { Applicant, FieldSpec } from '../contract/index.ts';
import {
  ColumnsError,
  SERVED_BY_CODES,
  sliceColumns,
  type ColumnScores,
  type ScoreResult,
  type ScoringColumns,
  type ScoringEngine,
} from '../engine/index.ts';

/** One model's answers over a chunk: `answered` is 1 where the model itself (not a fallback or rule) answered. */
export interface ChunkAnswers {
  probability: Float64Array;
  /** 1 refuse, 0 approve. */
  refused: Uint8Array;
  answered: Uint8Array;
}

/** The applicant of one row, as the store logged it: missing values are null. */
export function applicantOf(columns: ScoringColumns, fields: readonly FieldSpec[], row: number): Applicant {
  const applicant: Applicant = {};
  for (const field of fields) {
    if (field.kind === 'category') {
      const column = columns.categories.get(field.name);
      if (!column) continue;
      const code = column.codes[row]!;
      applicant[field.name] = code >= 0 ? column.labels[code]! : null;
    } else {
      const values = columns.numbers.get(field.name);
      if (!values) continue;
      const value = values[row]!;
      applicant[field.name] = value === value ? value : null;
    }
  }
  return applicant;
}

function fromColumnScores(scores: ColumnScores): ChunkAnswers {
  const answered = new Uint8Array(scores.rows);
  for (let i = 0; i < scores.rows; i += 1) answered[i] = scores.servedBy[i] === SERVED_BY_CODES.champion ? 1 : 0;
  return { probability: scores.probabilities, refused: scores.decisions, answered };
}

function fromResults(results: readonly ScoreResult[]): ChunkAnswers {
  const n = results.length;
  const answers = { probability: new Float64Array(n), refused: new Uint8Array(n), answered: new Uint8Array(n) };
  results.forEach((result, i) => {
    answers.probability[i] = result.probability;
    answers.refused[i] = result.decision === 'refuse' ? 1 : 0;
    answers.answered[i] = result.served_by === 'champion' ? 1 : 0;
  });
  return answers;
}

function concat(parts: readonly ChunkAnswers[], rows: number): ChunkAnswers {
  const out = { probability: new Float64Array(rows), refused: new Uint8Array(rows), answered: new Uint8Array(rows) };
  let at = 0;
  for (const part of parts) {
    out.probability.set(part.probability, at);
    out.refused.set(part.refused, at);
    out.answered.set(part.answered, at);
    at += part.probability.length;
  }
  return out;
}

/** The application id: the schema requires one, the logs keep none (CONTRACT.md §3, SK_ID_CURR left out). */
const IDENTIFIER = 'SK_ID_CURR';
const PLACEHOLDER_ID = 1;

/**
 * The chunk's columns with a placeholder id (1, a valid one) where the logs have none, so the schema accepts the
 * rows. The graph never reads the id (the engine keys its cache on the graph's inputs only, for that reason), so the
 * probabilities are those of the stored input; the champion-against-its-own-log test holds it to |Δp| ≤ 1e-6.
 */
export function withPlaceholderId(columns: ScoringColumns, fields: readonly FieldSpec[]): ScoringColumns {
  if (!fields.some((field) => field.name === IDENTIFIER)) return columns;
  const stored = columns.numbers.get(IDENTIFIER);
  const ids = new Float64Array(columns.rows).fill(PLACEHOLDER_ID);
  if (stored) for (let i = 0; i < columns.rows; i += 1) if (stored[i] === stored[i]) ids[i] = stored[i]!;
  return { ...columns, numbers: new Map([...columns.numbers, [IDENTIFIER, ids]]) };
}

/**
 * Scores a chunk as model-sized runs of typed columns launched together, so the pool's workers stay busy while the
 * chunk waits. A run the column path refuses is scored as applicant objects, with the engine's own per-row answers.
 */
export function scoreChunk(
  engine: ScoringEngine,
  columns: ScoringColumns,
  fields: readonly FieldSpec[],
  batchSize: number,
  signal: AbortSignal | undefined,
): Promise<ChunkAnswers> {
  const runs: Array<Promise<ChunkAnswers>> = [];
  for (let start = 0; start < columns.rows; start += batchSize) {
    const end = Math.min(columns.rows, start + batchSize);
    const slice = sliceColumns(columns, start, end);
    runs.push(
      engine.scoreColumns(slice, { signal }).then(fromColumnScores, (error: unknown) => {
        if (!(error instanceof ColumnsError)) throw error;
        const applicants = Array.from({ length: end - start }, (_, i) => applicantOf(slice, fields, i));
        return engine.scoreMany(applicants, { signal }).then(fromResults);
      }),
    );
  }
  const all = Promise.all(runs).then((parts) => concat(parts, columns.rows));
  all.catch(() => undefined);
  return all;
}
