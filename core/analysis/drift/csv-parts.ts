/**
 * Reads a large plain CSV file on two cores: this thread scans the first half, a worker thread the second (from the
 * first line end after the middle), each into its own typed columns; the worker's columns come back as transferred
 * buffers (not copied) and are appended to this thread's. Falls back (returns null) whenever the split could be
 * wrong or the parts cannot be joined exactly as one pass would have read them: the middle line end inside a quoted
 * cell, a column numeric in the first half but not the second, no second core, a worker that does not start.
 * The worker is the caller's drift helper when it gives one (drift-helper.ts), else one started for this file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { projectModule, spawnWorker } from '../../runtime/index.ts';
import { CsvError, CsvScanner, ScanError } from './csv-scanner.ts';
import { checkHeader, scannerColumns, type CsvColumns, type ReadCsvOptions } from './csv-result.ts';
import { CHUNK_BYTES, scanRange, type CsvPartJob, type CsvPartResult } from './csv-part-scan.ts';

/** Files smaller than this are read on one thread: a worker's start costs more than it saves. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;
function countLineEnds(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) count += 1;
  return count;
}

function runWorker(job: CsvPartJob): { worker: Worker; result: Promise<CsvPartResult | null> } {
  // By its path from the project, not from this module: the drift helper's bundle holds this module too.
  const worker = spawnWorker(projectModule('core/analysis/drift/csv-worker.ts'), { workerData: job });
  const result = new Promise<CsvPartResult | null>((resolve) => {
    worker.once('message', (message: CsvPartResult) => resolve(message));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  return { worker, result };
}

export async function readCsvInParts(file: string, options: ReadCsvOptions): Promise<CsvColumns | null> {
  if (os.availableParallelism() < 2) return null;
  const fd = openSync(file, 'r');
  let worker: Worker | null = null;
  try {
    const size = fstatSync(fd).size;
    if (size < PARALLEL_MIN_BYTES) return null;
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const first = readSync(fd, chunk, 0, chunk.length, 0);
    const lineEnds = countLineEnds(chunk.subarray(0, first));
    if (lineEnds < 2) return null;
    const bytesPerLine = first / lineEnds;
    const middle = Math.floor(size / 2);
    const probe = Buffer.allocUnsafe(64 * 1024);
    const probed = readSync(fd, probe, 0, probe.length, middle);
    const lineEnd = probe.subarray(0, probed).indexOf(10);
    if (lineEnd === -1) return null;
    const split = middle + lineEnd + 1;
    const estimate = (bytes: number) => Math.ceil((bytes / bytesPerLine) * 1.03) + 1024;

    // Room for the whole file, so that the worker's rows are copied in after this thread's without a new array.
    const scanner = new CsvScanner({ kinds: options.kinds, keep: options.keep, capacity: estimate(size) });
    // The header first (it must lie in the first chunk), so that the worker can start on the second half.
    const headerEnd = chunk.indexOf(10);
    if (headerEnd === -1 || headerEnd + 1 > split) return null;
    const used = scanner.consume(chunk.subarray(0, headerEnd + 1));
    if (!scanner.header || used !== headerEnd + 1) return null;
    checkHeader(scanner.header, file, options);
    const job: CsvPartJob = {
      file,
      start: split,
      end: size,
      header: scanner.header,
      kinds: [...(options.kinds ?? new Map())],
      keep: options.keep ? [...options.keep] : null,
      capacity: estimate(size - split),
    };
    let result: Promise<CsvPartResult | null>;
    if (options.helper) result = options.helper.scan(job);
    else {
      const started = runWorker(job);
      worker = started.worker;
      result = started.result;
    }
    // An unfinished record at the split: its line end lies inside a quoted cell, so the halves were cut wrongly.
    if (scanRange(fd, used, split, scanner, chunk).pending > 0) return null;
    const part = await result;
    if (!part) return null;
    if (!part.ok) {
      if (part.error) {
        const { place, at, detail, column } = part.error;
        throw new CsvError(new ScanError(place, at, detail, column).describe(file, scanner.rows, scanner.lines));
      }
      throw new CsvError(`${file}: ${part.message}`);
    }
    for (let k = 0; k < scanner.columns.length; k += 1) {
      const mine = scanner.columns[k];
      const theirs = part.columns[k];
      if (!mine || !theirs) continue;
      // One pass would keep the second half's cells as text, not as String(number): re-read on one thread.
      if (mine.kind === 'category' && theirs.numbers) return null;
    }
    for (let k = 0; k < scanner.columns.length; k += 1) {
      const theirs = part.columns[k];
      if (theirs) scanner.columns[k]!.append(theirs);
      part.columns[k] = null;
    }
    scanner.rows += part.rows;
    return scannerColumns(scanner, file);
  } catch (error) {
    if (error instanceof ScanError) throw new CsvError(error.describe(file));
    throw error;
  } finally {
    closeSync(fd);
    if (worker) void worker.terminate();
  }
}
