/**
 * Reads one `.jsonl` or `.jsonl.gz` file as batches of parsed, flattened records and quarantined lines, with
 * bounded memory (one chunk, one batch, at most one held line). A damaged gzip stream ends the file early: what was
 * decompressed before the damage is still delivered, and the last batch says the file is damaged.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { BatchCollector } from './batch-collector.ts';
import type { FlatRow } from './flat-record.ts';
import { LineSplitter } from './line-splitter.ts';
import type { PreparedRows, QuarantineEntry, RowSink } from './target.ts';
import { gunzipWhole, loadWholeGunzip, MAX_WHOLE_BYTES } from './whole-gunzip.ts';

export interface LogBatch {
  /** Empty when `prepared` holds the records. */
  rows: FlatRow[];
  /** The records as the target's batch preparer made them (on a reader thread). */
  prepared?: PreparedRows;
  quarantined: QuarantineEntry[];
  /** Lines consumed by this batch, blank lines included. */
  lines: number;
  /** Bytes of the file (compressed, for .gz) read so far. */
  bytesRead: number;
  /** Set on the last batch of a file whose reading failed part-way (damaged gzip, read error). */
  damaged?: string;
}

export interface ReadOptions {
  /** Lines already imported by an interrupted run: split but not parsed. @default 0 */
  skipLines?: number;
  /** Lines per batch (one store transaction each). @default 10000 */
  batchSize?: number;
  /** On a reader thread: the module (URL) whose `prepareRows` turns each batch's rows into the target's form. */
  preparer?: string;
  /**
   * Decompress a `.gz` file in one call where libdeflate is available (whole-gunzip.ts), which blocks the thread
   * while it runs: for reader threads. @default false
   */
  whole?: boolean;
}

export const DEFAULT_BATCH_SIZE = 10_000;
const READ_CHUNK = 1 << 20;
const GUNZIP_CHUNK = 1 << 18;

export function isGzipPath(path: string): boolean {
  return path.endsWith('.gz');
}

function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' ? `the gzip data is damaged (${message})` : message;
}

/** The whole decompressed file, or null to stream it (no libdeflate, too large, several members, damaged data). */
async function inflateWhole(path: string): Promise<{ bytes: Buffer; compressedSize: number } | null> {
  if (!(await loadWholeGunzip())) return null;
  try {
    if ((await stat(path)).size > MAX_WHOLE_BYTES) return null;
    const compressed = await readFile(path);
    const bytes = gunzipWhole(compressed);
    return bytes ? { bytes, compressedSize: compressed.length } : null;
  } catch {
    return null; // the stream meets the same error and reports it as it always has
  }
}

/** With a `sink`, each record goes to it as it is read, and the batches' `rows` stay empty. */
export async function* readLogBatches(
  path: string,
  options: ReadOptions = {},
  sink?: RowSink,
): AsyncGenerator<LogBatch> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const collector = new BatchCollector(options.skipLines ?? 0, sink);
  const splitter = new LineSplitter(collector);
  const inflated = options.whole && isGzipPath(path) ? await inflateWhole(path) : null;
  if (inflated) {
    // Progress in compressed bytes, as the stream counts it: the share of the file decompressed bytes stand for.
    const { bytes, compressedSize } = inflated;
    for (let at = 0; at < bytes.length; at += GUNZIP_CHUNK) {
      const to = Math.min(bytes.length, at + GUNZIP_CHUNK);
      splitter.push(bytes.subarray(at, to));
      if (collector.lines >= batchSize) {
        yield { ...collector.take(), bytesRead: Math.round((compressedSize * to) / bytes.length) };
      }
    }
    splitter.end();
    yield { ...collector.take(), bytesRead: compressedSize };
    return;
  }
  const file = createReadStream(path, { highWaterMark: READ_CHUNK });
  let input: NodeJS.ReadableStream & AsyncIterable<Buffer> = file;
  if (isGzipPath(path)) {
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
    file.on('error', (error) => gunzip.destroy(error));
    file.pipe(gunzip);
    input = gunzip;
  }
  let damaged: string | undefined;
  try {
    for await (const chunk of input) {
      splitter.push(chunk as Buffer);
      if (collector.lines >= batchSize) yield { ...collector.take(), bytesRead: file.bytesRead };
    }
  } catch (error) {
    damaged = describe(error);
  } finally {
    file.destroy();
    (input as unknown as { destroy?: () => void }).destroy?.();
  }
  splitter.end();
  const last: LogBatch = { ...collector.take(), bytesRead: file.bytesRead };
  if (damaged) last.damaged = damaged;
  yield last;
}
