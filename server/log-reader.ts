/**
 * Pages through this replica's production log in write order for `GET /v1/logs`, from a cursor.
 *
 * A cursor is `<replica>:<UTC day>:<part>:<byte offset>` in the uncompressed file; clients treat it as opaque.
 * It survives rotation and compression (offsets count uncompressed bytes). Only complete lines are returned; a
 * partial last line of a file that a crash left unfinished is returned (newline added) once a newer file exists,
 * so the reader quarantines it instead of it vanishing.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { ApiError } from './errors.ts';
import { compareSlots, listLogFiles, type LogFile } from './log-files.ts';

export interface LogCursor {
  replica: string;
  day: string;
  part: number;
  offset: number;
}

export interface LogPage {
  body: Buffer;
  records: number;
  /** Where the next page starts; null when the log is empty and no cursor was given. */
  nextCursor: string | null;
  /** True when the page stopped at its limit and more records are already there. */
  hasMore: boolean;
}

const CURSOR = /^([A-Za-z0-9_-]{1,64}):(\d{4}-\d{2}-\d{2}):(\d{1,6}):(\d{1,15})$/;
const NEWLINE = 0x0a;

export function encodeCursor(cursor: LogCursor): string {
  return `${cursor.replica}:${cursor.day}:${cursor.part}:${cursor.offset}`;
}

export function decodeCursor(text: string, replica: string): LogCursor {
  const match = CURSOR.exec(text);
  if (!match) throw new ApiError('INVALID_CURSOR', { detail: 'pass back the X-Next-Cursor value of a previous page' });
  if (match[1] !== replica) {
    throw new ApiError('INVALID_CURSOR', { detail: `it belongs to replica ${match[1]}; this is replica ${replica}` });
  }
  return { replica, day: match[2]!, part: Number(match[3]), offset: Number(match[4]) };
}

async function* chunksFrom(dir: string, file: LogFile, offset: number): AsyncGenerator<Buffer> {
  const full = path.join(dir, file.name);
  if (!file.gzip) {
    try {
      yield* createReadStream(full, { start: offset, highWaterMark: 256 * 1024 });
      return;
    } catch (error) {
      // Compressed and removed since it was listed: read the finished .gz instead.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      yield* chunksFrom(dir, { ...file, name: `${file.name}.gz`, gzip: true }, offset);
      return;
    }
  }
  let skip = offset;
  for await (const chunk of createReadStream(full).pipe(createGunzip()) as AsyncIterable<Buffer>) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    yield skip > 0 ? chunk.subarray(skip) : chunk;
    skip = 0;
  }
}

export interface ReadPageOptions {
  dir: string;
  replica: string;
  cursor: LogCursor | null;
  limit: number;
  maxBytes: number;
}

export async function readLogPage(options: ReadPageOptions): Promise<LogPage> {
  const { dir, replica, cursor, limit, maxBytes } = options;
  const files = await listLogFiles(dir, replica);
  const out: Buffer[] = [];
  let records = 0;
  let bytes = 0;
  const page = (file: LogFile | null, offset: number, hasMore: boolean): LogPage => ({
    body: Buffer.concat(out, bytes),
    records,
    nextCursor: file
      ? encodeCursor({ replica, day: file.day, part: file.part, offset })
      : cursor
        ? encodeCursor(cursor)
        : null,
    hasMore,
  });
  const take = (line: Buffer): boolean => {
    if (records >= limit || (records > 0 && bytes + line.length > maxBytes)) return false;
    out.push(line);
    records += 1;
    bytes += line.length;
    return true;
  };

  let index = cursor ? files.findIndex((file) => compareSlots(file, cursor) >= 0) : 0;
  if (index === -1 || files.length === 0) return page(null, 0, false);
  let offset = cursor && compareSlots(files[index]!, cursor) === 0 ? cursor.offset : 0;

  for (; index < files.length; index += 1, offset = 0) {
    const file = files[index]!;
    const isLast = index === files.length - 1;
    let position = offset;
    let pending: Buffer = Buffer.alloc(0);
    for await (const chunk of chunksFrom(dir, file, offset)) {
      const data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      let start = 0;
      let newline = data.indexOf(NEWLINE, start);
      while (newline !== -1) {
        const line = data.subarray(start, newline + 1);
        if (!take(line)) return page(file, position, true);
        position += line.length;
        start = newline + 1;
        newline = data.indexOf(NEWLINE, start);
      }
      pending = data.subarray(start);
    }
    if (isLast) return page(file, position, false);
    if (pending.length > 0) {
      if (!take(Buffer.concat([pending, Buffer.from('\n')]))) return page(file, position, true);
    }
  }
  return page(null, 0, false);
}
