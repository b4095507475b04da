/**
 * One output line per input row of a batch scoring, in input order, shared by `vigie score` and the console's
 * Batch scoring download: each line carries where its row came from (the input's line number, its 1-based data row,
 * or the stored request id), then the score or why the row was not scored.
 */
import type { OfflineOutcome } from '../engine/index.ts';

export type ScoredFormat = 'jsonl' | 'csv';

export interface RowPosition {
  /** 1-based line of the input file where the row ends (null for stored requests). */
  line: number | null;
  /** 1-based data row: the CSV header is not a row. */
  row: number;
  /** The stored request id, when the rows come from the store. */
  id?: string;
}

export const CSV_HEADER = 'line,row,id,probability,decision,served_by,model_version,error_code,error_message\n';

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function errorMessage(outcome: Extract<OfflineOutcome, { ok: false }>): string {
  return outcome.error.issues.map((issue) => issue.message).join('; ');
}

export function formatScoredLine(outcome: OfflineOutcome, at: RowPosition, format: ScoredFormat): string {
  const where = { line: at.line, row: at.row, ...(at.id !== undefined ? { id: at.id } : {}) };
  if (format === 'jsonl') {
    if (!outcome.ok) return `${JSON.stringify({ ...where, error: outcome.error })}\n`;
    const { probability, decision, served_by, model } = outcome.result;
    return `${JSON.stringify({ ...where, probability, decision, served_by, model_version: model.version })}\n`;
  }
  const head = `${at.line ?? ''},${at.row},${csvCell(at.id ?? '')}`;
  if (!outcome.ok) return `${head},,,,,${csvCell(outcome.error.code)},${csvCell(errorMessage(outcome))}\n`;
  const { probability, decision, served_by, model } = outcome.result;
  return `${head},${probability},${decision},${served_by},${csvCell(model.version)},,\n`;
}
