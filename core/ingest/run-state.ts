/** The running totals of one import, shared by the file, record and pull paths. */
import type { IngestProgress, IngestSummary, SourceOutcome } from './summary.ts';
import { emptySummary } from './summary.ts';
import type { IngestTarget, QuarantineEntry, WriteBatch } from './target.ts';

export interface IngestOptions {
  onProgress?: (progress: IngestProgress) => void;
  /** Stops the import between two batches; what was committed stays, and a re-run resumes. */
  signal?: AbortSignal;
  /** Lines per store transaction. @default 10000 */
  batchSize?: number;
  /**
   * Read, parse and prepare files of 1 MB or more on a worker thread while this one only writes (decision 1611); a
   * target without a batch preparer gets the parsed rows. false: everything on the importing thread. @default true
   */
  threads?: boolean;
}

export class RunState {
  readonly summary: IngestSummary = emptySummary();
  readonly startedAt = Date.now();
  private readonly started = performance.now();
  bytesTotal = 0;
  bytesBefore = 0;

  constructor(
    readonly target: IngestTarget,
    private readonly options: IngestOptions,
  ) {}

  get aborted(): boolean {
    return this.options.signal?.aborted === true;
  }

  /** Writes one batch for `outcome`'s source and reports progress. */
  write(sourceId: number, outcome: SourceOutcome, batch: WriteBatch, bytesRead: number): void {
    const result = this.target.writeBatch(sourceId, batch);
    const summary = this.summary;
    summary.lines += batch.lines;
    summary.inserted += result.inserted;
    summary.duplicates += result.duplicates;
    summary.quarantined += result.quarantined;
    outcome.lines += batch.lines;
    outcome.inserted += result.inserted;
    outcome.duplicates += result.duplicates;
    outcome.quarantined += result.quarantined;
    this.countReasons(batch.quarantined);
    this.progress(outcome.source, this.bytesBefore + bytesRead);
  }

  private countReasons(entries: QuarantineEntry[]): void {
    const byReason = this.summary.by_reason;
    for (const entry of entries) byReason[entry.reason] = (byReason[entry.reason] ?? 0) + 1;
  }

  progress(source: string, bytesDone: number): void {
    const summary = this.summary;
    this.options.onProgress?.({
      source,
      bytesDone,
      bytesTotal: this.bytesTotal,
      lines: summary.lines,
      inserted: summary.inserted,
      duplicates: summary.duplicates,
      quarantined: summary.quarantined,
      elapsedMs: performance.now() - this.started,
    });
  }

  /** Finishes the summary and records the run in the store's import history. */
  finish(kind: 'files' | 'pull' | 'records', failed = false): IngestSummary {
    const summary = this.summary;
    summary.aborted = summary.aborted || this.aborted;
    summary.seconds = (performance.now() - this.started) / 1000;
    this.target.recordRun({
      kind,
      startedAt: this.startedAt,
      finishedAt: Date.now(),
      status: failed ? 'failed' : summary.aborted ? 'aborted' : 'complete',
      sources: summary.sources.length,
      lines: summary.lines,
      inserted: summary.inserted,
      duplicates: summary.duplicates,
      quarantined: summary.quarantined,
      summary: { ...summary, sources: undefined },
    });
    return summary;
  }
}

export function newOutcome(source: string): SourceOutcome {
  return { source, status: 'imported', lines: 0, inserted: 0, duplicates: 0, quarantined: 0 };
}
