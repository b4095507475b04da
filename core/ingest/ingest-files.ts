/**
 * Imports log files into the store: each file streamed, parsed line by line, deduplicated by request_id,
 * bad lines quarantined. A file whose content was already imported is skipped (same path, size and mtime: without
 * reading it; else by SHA-256 and size). An interrupted import resumes after the last committed batch.
 */
import { statSync } from 'node:fs';
import { hashFile } from './file-hash.ts';
import { listLogFiles } from './file-list.ts';
import { readLogBatches } from './log-batches.ts';
import { WorkerReader } from './threaded-batches.ts';
import { newOutcome, RunState, type IngestOptions } from './run-state.ts';
import type { IngestSummary, SourceOutcome } from './summary.ts';
import type { IngestTarget } from './target.ts';

/**
 * Below this size a file is always read on the importing thread. One worker serves every file of a run, so this only
 * keeps a run of small files from starting it; the API's daily files per replica (a few MB of gzip) are above it.
 */
const THREAD_MIN_BYTES = 1024 * 1024;
/** Smaller batches when two are in flight between the threads keep the peak memory of an import down. */
const THREADED_BATCH_SIZE = 5000;

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

/** Imports one file as one source, resuming after its committed lines; shared with the object-store import. */
export async function ingestFile(
  state: RunState,
  reader: WorkerReader,
  { path: file, location, size, mtimeMs }: FileToImport,
  options: IngestOptions,
): Promise<SourceOutcome> {
  const target = state.target;
  const outcome = newOutcome(location);
  if (target.findCompleteFile(location, size, mtimeMs)) {
    outcome.status = 'skipped';
    return outcome;
  }
  const sha256 = await hashFile(file, options.signal);
  const known = target.findFileByHash(sha256, size);
  const source = target.openFileSource({ location, sha256, size, mtimeMs });
  if (known && known.status !== 'partial') {
    outcome.status = 'skipped';
    return outcome;
  }
  let damaged: string | undefined;
  const threaded = (options.threads ?? true) && size >= THREAD_MIN_BYTES;
  const readOptions = {
    skipLines: source.lines,
    batchSize: options.batchSize ?? (threaded ? THREADED_BATCH_SIZE : undefined),
  };
  const batches = threaded
    ? reader.read(file, { ...readOptions, preparer: target.batchPreparer })
    : readLogBatches(file, readOptions);
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
  for (const { file, size } of files) {
    if (state.aborted) break;
    let outcome: SourceOutcome;
    try {
      outcome = await ingestFile(
        state,
        reader,
        { path: file, location: file, size, mtimeMs: statSync(file).mtimeMs },
        options,
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
