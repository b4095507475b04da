/**
 * Batch scoring of a file or of stored requests through `core/engine`'s offline stream: every row gets one output
 * line (scored, or why not) in input order, and the run ends with a summary (batch-summary.ts). `vigie score` and
 * the console's Batch scoring tab both run it.
 */
import type { Applicant, FieldSpec } from '../contract/index.ts';
import type { DriftReference } from '../analysis/index.ts';
import { scoreStream, type OfflineProgress, type ScoringEngine } from '../engine/index.ts';
import { BatchSummariser, type BatchSummary } from './batch-summary.ts';
import { formatScoredLine, type RowPosition, type ScoredFormat } from './scored-line.ts';

export interface BatchRow {
  at: RowPosition;
  /** The raw applicant, or the engine's InvalidRow for a line that could not be read. */
  value: unknown;
}

export interface BatchOptions {
  engine: ScoringEngine;
  rows: AsyncIterable<BatchRow> | Iterable<BatchRow>;
  /** Receives each output line, in order; awaited (back-pressure). */
  write(text: string): Promise<void> | void;
  format: ScoredFormat;
  /** The reference the summary compares against; null leaves out the histogram and the drift verdict. */
  reference: DriftReference | null;
  fields: readonly FieldSpec[];
  /** @default 1024 */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?(progress: OfflineProgress): void;
}

export async function scoreBatch(options: BatchOptions): Promise<BatchSummary> {
  const summariser = new BatchSummariser(options.fields);
  const pending: BatchRow[] = [];
  let next = 0;
  async function* values() {
    for await (const row of options.rows) {
      pending.push(row);
      yield row.value;
    }
  }
  const stream = scoreStream(options.engine, values(), {
    batchSize: options.batchSize ?? 1024,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  for await (const outcome of stream) {
    const row = pending[next++]!;
    // Positions are consumed in order; drop the consumed ones so memory stays bounded.
    if (next > 4096) {
      pending.splice(0, next);
      next = 0;
    }
    await options.write(formatScoredLine(outcome, row.at, options.format));
    summariser.add(outcome, row.at, outcome.ok ? (row.value as Applicant) : null);
  }
  return summariser.finish(options.reference);
}
