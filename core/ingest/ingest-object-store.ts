/**
 * Imports the log files a shipper copied to S3-compatible object storage (decision record 1500): lists the prefix,
 * skips every object already imported completely (same `s3://bucket/key`, size and last-modified time) without
 * downloading it, and imports each new one through the file path — streamed to a temporary copy, deduplicated by
 * request_id, bad lines quarantined, resumable after its last committed batch. After the listed objects it lists
 * again, so a replica's file shipped while the import ran is imported by the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from './ingest-files.ts';
import { newOutcome, RunState, type IngestOptions } from './run-state.ts';
import type { IngestSummary, SourceOutcome } from './summary.ts';
import type { IngestTarget } from './target.ts';
import { WorkerReader } from './threaded-batches.ts';
import { ObjectStoreError, S3Client, type ObjectStoreLocation, type StoredObject } from './object-store/s3-client.ts';
import type { Credentials } from './object-store/sigv4.ts';

export { ObjectStoreError, type ObjectStoreLocation, type StoredObject } from './object-store/s3-client.ts';
export type { Credentials } from './object-store/sigv4.ts';

/** Listings after the first: a bound on a store that keeps receiving files faster than they import. */
const MAX_RELISTS = 20;
const LOG_OBJECT = /\.jsonl(\.gz)?$/;

export interface ObjectStoreImportOptions extends IngestOptions {
  /**
   * Called after each listing with the objects it found that this run has not handled yet; the import goes on once
   * what it returns has settled.
   */
  onListed?: (objects: StoredObject[]) => void | Promise<void>;
}

/** The store's name for an object: `s3://<bucket>/<key>`, as the console's sources and quarantine show it. */
export function objectLocation(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

async function listNew(client: S3Client, handled: Set<string>, signal?: AbortSignal): Promise<StoredObject[]> {
  const found: StoredObject[] = [];
  for await (const object of client.list(signal)) {
    if (LOG_OBJECT.test(object.key) && !handled.has(object.key)) found.push(object);
  }
  return found;
}

export async function ingestObjectStore(
  target: IngestTarget,
  location: ObjectStoreLocation,
  credentials: Credentials,
  options: ObjectStoreImportOptions = {},
): Promise<IngestSummary> {
  const client = new S3Client(location, credentials);
  const state = new RunState(target, options);
  const handled = new Set<string>();
  const reader = new WorkerReader();
  const scratch = mkdtempSync(join(tmpdir(), 'vigie-object-store-'));
  try {
    for (let listing = 0; listing <= MAX_RELISTS && !state.aborted; listing++) {
      const objects = await listNew(client, handled, options.signal);
      if (objects.length === 0) break;
      await options.onListed?.(objects);
      state.summary.files += objects.length;
      state.bytesTotal += objects.reduce((sum, object) => sum + object.size, 0);
      for (const object of objects) {
        if (state.aborted) break;
        handled.add(object.key);
        const outcome = await importObject(state, reader, client, location.bucket, object, scratch, options);
        state.summary.sources.push(outcome);
        if (outcome.status === 'skipped') state.summary.skipped++;
        else state.summary.bytes += object.size;
        state.bytesBefore += object.size;
        state.progress(outcome.source, state.bytesBefore);
      }
    }
  } catch (error) {
    if (!state.aborted) {
      // What was imported before the failure stays, and the import history says the run failed.
      state.finish('files', true);
      throw error;
    }
  } finally {
    await reader.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return state.finish('files');
}

async function importObject(
  state: RunState,
  reader: WorkerReader,
  client: S3Client,
  bucket: string,
  object: StoredObject,
  scratch: string,
  options: IngestOptions,
): Promise<SourceOutcome> {
  const source = objectLocation(bucket, object.key);
  if (state.target.findCompleteFile(source, object.size, object.lastModifiedMs)) {
    return { ...newOutcome(source), status: 'skipped' };
  }
  // The copy keeps the object's name: `.gz` tells the reader to decompress.
  const copy = join(scratch, object.key.split('/').pop()!);
  try {
    await client.download(object.key, copy, options.signal);
    return await ingestFile(
      state,
      reader,
      { path: copy, location: source, size: object.size, mtimeMs: object.lastModifiedMs },
      options,
    );
  } catch (error) {
    if (state.aborted) return { ...newOutcome(source), status: 'partial' };
    // One unreadable object does not stop the others; the listing's own failures (endpoint, credentials) do.
    state.summary.errors.push({ source, error: error instanceof Error ? error.message : String(error) });
    if (error instanceof ObjectStoreError && error.affectsAll) throw error;
    return { ...newOutcome(source), status: 'failed' };
  } finally {
    rmSync(copy, { force: true });
  }
}
