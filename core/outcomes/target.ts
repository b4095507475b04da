/** The port outcomes are written through: implemented by db/ (db/outcome-table.ts), declared here so core never imports db. */

export type OutcomeKey = 'request_id' | 'SK_ID_CURR';

/** One outcome ready to store: keyed by request id, or by the keyed hash of SK_ID_CURR (never the raw id). */
export interface OutcomeRow {
  lineNo: number;
  requestId: string | null;
  applicantRef: string | null;
  outcome: 0 | 1;
  observedAt: number;
}

export interface OutcomeQuarantine {
  lineNo: number;
  reason: OutcomeLineReason;
  detail: string;
  /** The start of the line, with any SK_ID_CURR value replaced by `[redacted]`. */
  excerpt: string;
}

/** A second, different outcome for a request or applicant already holding one: kept aside, never applied. */
export interface OutcomeConflict {
  lineNo: number;
  requestId: string | null;
  applicantRef: string | null;
  storedOutcome: 0 | 1;
  newOutcome: 0 | 1;
}

/** An outcome for a request (or applicant) the store holds no prediction for yet: stored, and matched later. */
export interface UnmatchedOutcome {
  lineNo: number;
  requestId: string | null;
  applicantRef: string | null;
}

export interface OutcomeBatchResult {
  inserted: number;
  duplicates: number;
  conflicts: OutcomeConflict[];
  unmatched: UnmatchedOutcome[];
}

export interface OutcomeFile {
  location: string;
  sha256: string;
  size: number;
  key: OutcomeKey;
}

export interface OutcomeTarget {
  beginOutcomeImport(file: OutcomeFile): number;
  writeOutcomes(importId: number, rows: OutcomeRow[], quarantined: OutcomeQuarantine[]): OutcomeBatchResult;
  finishOutcomeImport(importId: number, status: 'complete' | 'failed', error?: string | null): void;
}

export const OUTCOME_LINE_REASONS = ['unreadable', 'missing_key', 'bad_key', 'bad_target', 'bad_observed_at'] as const;
export type OutcomeLineReason = (typeof OUTCOME_LINE_REASONS)[number];
