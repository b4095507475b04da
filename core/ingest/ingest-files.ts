/**
 * Imports log files into the store: each file streamed, parsed line by line, deduplicated by request_id,
 * bad lines quarantined. A file whose content was already imported is skipped (same path, size and mtime: without
 * reading it; else by SHA-256 and size). An interrupted import resumes after the last committed batch.
 */
import { statSync } from 'node:fs';
import { hashFile } from './file-hash.ts';
import { listLogFiles } from './file-list.ts';
import { readLogBatches, type LogBatch } from './log-batches.ts';
import { WorkerReader, type StartedRead } from './threaded-batches.ts';
import { newOutcome, RunState, type IngestOptions } from './run-state.ts';
import type { IngestSummary, SourceOutcome } from './summary.ts';
import type { IngestTarget } from './target.ts';

/**
 * Below this size a file is always read on the importing thread. One worker serves every file of a run, so this only
 * keeps a run of small files from starting it; the API's daily files per replica (a few MB of gzip) are above it.
 */
const THREAD_MIN_BYTES = 1024 * 1024;
/**
 * Lines per transaction when a reader thread prepares the batches. Each commit rewrites every index page its records
 * touched, so commits should not be small (decision 1611); but the writer should not wait long for a batch nor
 * drain a long queue alone at the end. 10 000 lines with four batches in flight per reader (read-worker.ts) imported
 * 300 000 records 4-7 % faster than 20 000 with two, with time-ordered and random request ids alike, and holds the
 * same records in memory (docs/performance-analysis.md).
 */
const THREADED_BATCH_SIZE = 10_000;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A file to import; `location` names it in the store when it is a local copy of something else (an object). */
export interface FileToImport {
  path: string;
  location: string;
  size: number;
  mtimeMs: number;
}

/** A file whose reading on the worker started while the file before it was being written. */
export interface Prefetched {
  path: string;
  sha256: string;
  read: StartedRead;
}

/** Whether `size` bytes are read on the worker thread. */
function readsOnThread(options: IngestOptions, size: number): boolean {
  return (options.threads ?? true) && size >= THREAD_MIN_BYTES;
}

/**
 * Imports one file as one source, resuming after its committed lines; shared with the object-store import.
 * `prefetched`: this file's reading, already started from line 1; `beforeWrite`: called once this file's reading has
 * started and before its first batch is written, with its content hash (to start reading the next file).
 */
export async function ingestFile(
  state: RunState,
  reader: WorkerReader,
  { path: file, location, size, mtimeMs }: FileToImport,
  options: IngestOptions,
  prefetched?: Prefetched,
  beforeWrite?: (sha256: string) => Promise<void>,
): Promise<SourceOutcome> {
  const target = state.target;
  const outcome = newOutcome(location);
  if (target.findCompleteFile(location, size, mtimeMs)) {
    if (prefetched) await reader.close();
    outcome.status = 'skipped';
    return outcome;
  }
  const sha256 = prefetched?.sha256 ?? (await hashFile(file, options.signal));
  const known = target.findFileByHash(sha256, size);
  const source = target.openFileSource({ location, sha256, size, mtimeMs });
  if (known && known.status !== 'partial') {
    if (prefetched) await reader.close();
    outcome.status = 'skipped';
    return outcome;
  }
  let damaged: string | undefined;
  const threaded = readsOnThread(options, size);
  const readOptions = {
    skipLines: source.lines,
    batchSize: options.batchSize ?? (threaded ? THREADED_BATCH_SIZE : undefined),
  };
  let batches: AsyncGenerator<LogBatch>;
  if (prefetched && prefetched.read.alive && source.lines === 0) {
    batches = prefetched.read.batches();
  } else {
    // A read started for nothing (the source has committed lines after all) would hold the worker: stop it.
    if (prefetched) await reader.close();
    batches = threaded
      ? reader.read(file, { ...readOptions, preparer: target.batchPreparer })
      : readLogBatches(file, readOptions);
  }
  await beforeWrite?.(sha256);
  for await (const batch of batches) {
    if (state.aborted) break;
    state.write(source.id, outcome, batch, batch.bytesRead);
    damaged = batch.damaged;
  }
  if (state.aborted) {
    outcome.status = 'partial';
  } else if (damaged) {
    outcome.status = 'damaged';
    target.setSourceStatus(source.id, 'damaged', damaged);
    state.summary.errors.push({ source: location, error: damaged });
  } else {
    target.setSourceStatus(source.id, 'complete');
  }
  return outcome;
}

/**
 * Imports `.jsonl` / `.jsonl.gz` files and folders (recursively). Throws IngestInputError before importing anything
 * when a path is missing, unreadable or not a log file; problems met while reading a file are in `errors`.
 */
export async function ingestPaths(
  target: IngestTarget,
  paths: readonly string[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const files = listLogFiles(paths).map((file) => ({ file, size: statSync(file).size }));
  const state = new RunState(target, options);
  state.bytesTotal = files.reduce((sum, f) => sum + f.size, 0);
  state.summary.files = files.length;
  const reader = new WorkerReader();
  try {
    await ingestFiles(state, reader, files, options);
  } finally {
    await reader.close();
  }
  return state.finish('files');
}

async function ingestFiles(
  state: RunState,
  reader: WorkerReader,
  files: Array<{ file: string; size: number }>,
  options: IngestOptions,
): Promise<void> {
  let next: Prefetched | undefined;
  for (let i = 0; i < files.length; i++) {
    const { file, size } = files[i]!;
    if (state.aborted) break;
    const prefetched = next?.path === file ? next : undefined;
    next = undefined;
    // While this file is written, the worker reads the next one, when it is new content read from its first line.
    const readNext = async (sha256: string): Promise<void> => {
      const following = files[i + 1];
      if (!following || !readsOnThread(options, size) || !readsOnThread(options, following.size)) return;
      const target = state.target;
      let nextSha: string;
      try {
        if (target.findCompleteFile(following.file, following.size, statSync(following.file).mtimeMs)) return;
        nextSha = await hashFile(following.file, options.signal);
      } catch {
        return; // The next file's own turn reports what is wrong with it.
      }
      if (nextSha === sha256 || target.findFileByHash(nextSha, following.size)) return;
      const batchSize = options.batchSize ?? THREADED_BATCH_SIZE;
      const read = reader.begin(following.file, { skipLines: 0, batchSize, preparer: target.batchPreparer });
      next = { path: following.file, sha256: nextSha, read };
    };
    let outcome: SourceOutcome;
    try {
      outcome = await ingestFile(
        state,
        reader,
        { path: file, location: file, size, mtimeMs: statSync(file).mtimeMs },
        options,
        prefetched,
        readNext,
      );
    } catch (error) {
      if (state.aborted) break;
      outcome = { ...newOutcome(file), status: 'failed' };
      state.summary.errors.push({ source: file, error: errorMessage(error) });
    }
    state.summary.sources.push(outcome);
    if (outcome.status === 'skipped') state.summary.skipped++;
    state.bytesBefore += size;
    state.summary.bytes += outcome.status === 'skipped' ? 0 : size;
    state.progress(file, state.bytesBefore);
  }
}
