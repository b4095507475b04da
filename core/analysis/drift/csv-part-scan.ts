/**
 * One part of the two-core CSV reader (csv-parts.ts), run on a worker thread: scans bytes [start, end) of a file,
 * whose first record is data, into typed columns, and gives them with the buffers to transfer back.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { CsvScanner, ScanError, type ColumnKind } from './csv-scanner.ts';

export const CHUNK_BYTES = 1024 * 1024;

/**
 * Scans bytes [start, end) of an open file into the scanner through one reused buffer: the unfinished record at the
 * end of a read is moved to the buffer's start and the next read goes after it, so nothing is allocated per chunk.
 * Returns the buffer (grown when one record outgrew it) and the bytes of the unfinished record left at its start.
 */
export function scanRange(
  fd: number,
  start: number,
  end: number,
  scanner: CsvScanner,
  buffer: Buffer,
): { buffer: Buffer; pending: number } {
  let chunk = buffer;
  let pending = 0;
  for (let at = start; at < end;) {
    if (pending === chunk.length) {
      const bigger = Buffer.allocUnsafe(chunk.length * 2);
      chunk.copy(bigger, 0, 0, pending);
      chunk = bigger;
    }
    const read = readSync(fd, chunk, pending, Math.min(chunk.length - pending, end - at), at);
    if (read === 0) break;
    at += read;
    const total = pending + read;
    const used = scanner.consume(chunk.subarray(0, total));
    chunk.copyWithin(0, used, total);
    pending = total - used;
  }
  return { buffer: chunk, pending };
}

export interface CsvPartJob {
  file: string;
  start: number;
  end: number;
  header: string[];
  kinds: Array<[string, ColumnKind]>;
  keep: string[] | null;
  capacity: number;
}

export interface PartColumn {
  numbers: Float64Array | null;
  codes: Int32Array | null;
  labels: string[];
  length: number;
}

export type CsvPartResult =
  | { ok: true; rows: number; lines: number; columns: Array<PartColumn | null> }
  | {
      ok: false;
      error?: { place: 'row' | 'line'; at: number; detail: string; column?: string };
      message: string;
    };

export function scanPart(job: CsvPartJob): { result: CsvPartResult; transfer: ArrayBuffer[] } {
  const scanner = new CsvScanner({
    header: job.header,
    kinds: new Map(job.kinds),
    keep: job.keep ? new Set(job.keep) : undefined,
    capacity: job.capacity,
  });
  try {
    const fd = openSync(job.file, 'r');
    try {
      const { buffer, pending } = scanRange(fd, job.start, job.end, scanner, Buffer.allocUnsafe(CHUNK_BYTES));
      if (pending > 0) scanner.consume(buffer.subarray(0, pending), true);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof ScanError) {
      const { place, at, detail, column } = error;
      return { result: { ok: false, error: { place, at, detail, column }, message: detail }, transfer: [] };
    }
    return { result: { ok: false, message: (error as Error).message }, transfer: [] };
  }
  const transfer: ArrayBuffer[] = [];
  const columns = scanner.columns.map((column): PartColumn | null => {
    if (!column) return null;
    const values = column.numbers ?? column.codes!;
    transfer.push(values.buffer as ArrayBuffer);
    return { numbers: column.numbers, codes: column.codes, labels: column.labels, length: column.length };
  });
  return { result: { ok: true, rows: scanner.rows, lines: scanner.lines, columns }, transfer };
}
