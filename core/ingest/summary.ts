/** What an import did, per run and per source; `vigie ingest --json` prints it. */
export interface SourceOutcome {
  /** File path, endpoint URL or generator name. */
  source: string;
  /** imported: read to the end; skipped: already imported; damaged: read up to the damage; partial: interrupted. */
  status: 'imported' | 'skipped' | 'damaged' | 'partial' | 'failed';
  lines: number;
  inserted: number;
  duplicates: number;
  quarantined: number;
}

export interface IngestSummary {
  /** Sources considered (files named or found, endpoint, generator). */
  files: number;
  /** Files skipped because their content was already imported. */
  skipped: number;
  lines: number;
  inserted: number;
  duplicates: number;
  quarantined: number;
  by_reason: Record<string, number>;
  errors: Array<{ source: string; error: string }>;
  /** True when the run was interrupted (AbortSignal); re-running it resumes. */
  aborted: boolean;
  bytes: number;
  seconds: number;
  sources: SourceOutcome[];
}

export function emptySummary(): IngestSummary {
  return {
    files: 0,
    skipped: 0,
    lines: 0,
    inserted: 0,
    duplicates: 0,
    quarantined: 0,
    by_reason: {},
    errors: [],
    aborted: false,
    bytes: 0,
    seconds: 0,
    sources: [],
  };
}

export interface IngestProgress {
  /** The source being read. */
  source: string;
  /** Bytes read across all files of the run (compressed bytes for .gz), and their total size. */
  bytesDone: number;
  bytesTotal: number;
  lines: number;
  inserted: number;
  duplicates: number;
  quarantined: number;
  elapsedMs: number;
}
