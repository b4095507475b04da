/**
 * Where ingestion writes: the store implements this (`db/`), so `core/ingest` never imports SQLite.
 * Each batch is written atomically together with its source's progress, which is what makes an interrupted
 * import resumable and a re-run exact.
 */
import type { FlatRow } from './flat-record.ts';

export type SourceKind = 'file' | 'endpoint' | 'generator';
export type SourceStatus = 'partial' | 'complete' | 'damaged';

export interface SourceRow {
  id: number;
  kind: SourceKind;
  /** File path, endpoint URL, or generator name. */
  location: string;
  sha256: string | null;
  size: number | null;
  mtimeMs: number | null;
  status: SourceStatus;
  /** The API cursor to resume from (endpoints only). */
  cursor: string | null;
  /** Lines (or records) consumed and committed so far: where a resumed import starts. */
  lines: number;
  inserted: number;
  duplicates: number;
  quarantined: number;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface QuarantineEntry {
  /** 1-based line number within the source. */
  lineNo: number;
  reason: string;
  detail: string;
  /** At most 1 KB of the line. */
  excerpt: string;
}

/** Takes records one at a time as they are parsed; it keeps none of the arrays it is given, which may be reused. */
export interface RowSink {
  addRow(row: FlatRow): void;
}

/** Records a reader thread prepared with the target's `batchPreparer` module: opaque here, but for their count. */
export interface PreparedRows {
  count: number;
}

/** What a preparer's `transferable(prepared)` may name: buffers the reader thread hands over instead of copying. */
export type TransferList = ArrayBuffer[];

export interface WriteBatch {
  /** Parsed records, flattened (flattenRecord); empty when `prepared` holds them. */
  rows: FlatRow[];
  /** The same records as the target's batchPreparer made them, when a reader thread did; else absent. */
  prepared?: PreparedRows;
  quarantined: QuarantineEntry[];
  /** Lines this batch consumed (records + quarantined + skipped blank lines). */
  lines: number;
  /** The endpoint cursor reached after this batch, when pulling. */
  cursor?: string | null;
}

export interface ImportRun {
  kind: 'files' | 'pull' | 'records';
  startedAt: number;
  finishedAt: number;
  status: 'complete' | 'aborted' | 'failed';
  sources: number;
  lines: number;
  inserted: number;
  duplicates: number;
  quarantined: number;
  summary: unknown;
}

export interface IngestTarget {
  /**
   * A module (URL) exporting `createPreparer(): RowSink & { take(): PreparedRows; transferable?(prepared):
   * TransferList }`, which a reader thread feeds
   * each record as it is parsed, so that the writing thread only binds; absent: batches are written from their rows.
   */
  readonly batchPreparer?: string;
  /** A completely imported file at this path with this size and modification time, if any (the fast skip). */
  findCompleteFile(location: string, size: number, mtimeMs: number): SourceRow | null;
  /** The file source with this content, if any. */
  findFileByHash(sha256: string, size: number): SourceRow | null;
  /** Returns the file source with this content, creating it (status partial) or recording its new path. */
  openFileSource(file: { location: string; sha256: string; size: number; mtimeMs: number }): SourceRow;
  /** Returns the endpoint or generator source of that name, creating it when new. */
  openNamedSource(kind: 'endpoint' | 'generator', location: string): SourceRow;
  /** Inserts the records (skipping request ids already stored) and quarantined lines, and advances the source. */
  writeBatch(sourceId: number, batch: WriteBatch): { inserted: number; duplicates: number; quarantined: number };
  setSourceStatus(sourceId: number, status: SourceStatus, error?: string | null): void;
  recordRun(run: ImportRun): void;
}
