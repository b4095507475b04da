/**
 * Appends production log records to `predictions-<replica>-<UTC day>[.<part>].jsonl`.
 *
 * Durability: `append` writes synchronously to an open file descriptor before the caller sends its response, so a
 * crash of the process loses nothing that was answered (the bytes are in the kernel); an fsync at most every
 * `fsyncMs` bounds what a crash of the machine can lose. Files rotate at UTC midnight and past `maxFileBytes`;
 * closed files are gzipped in the background, one at a time.
 *
 * A failed write (full disk, I/O error) is counted and reported by `health()`, and the next record opens a new part,
 * so a half-written line stays at the end of the old file and never merges with the next record. Scoring goes on:
 * the operator sees the failure in /metrics and /ready (README, "Production logs").
 */
import { closeSync, fsyncSync, openSync, writeSync, constants as fsConstants } from 'node:fs';
import { access, mkdir, open, readdir, rename, statfs, unlink } from 'node:fs/promises';
import { close, createReadStream, createWriteStream, fsync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { logFileName } from '../core/contract/index.ts';
import { listLogFiles, parseLogFileName } from './log-files.ts';
import { lockLogDir } from './log-lock.ts';

export interface LogWriterOptions {
  dir: string;
  replica: string;
  maxFileBytes: number;
  fsyncMs: number;
  gzip: boolean;
  /** Free space under which `health()` reports the disk as full. */
  minFreeBytes: number;
  /** Milliseconds clock deciding the UTC day of a file. @default Date.now */
  now?: () => number;
  onWriteError?: (code: string) => void;
  onRotate?: (closedFile: string) => void;
}

export interface LogWriterHealth {
  ok: boolean;
  reasons: string[];
}

const TMP_PREFIX = '.';
const TMP_SUFFIX = '.gz.tmp';

function utcDay(ms: number): { day: string; end: number } {
  const date = new Date(ms);
  const end = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
  return { day: date.toISOString().slice(0, 10), end };
}

export class LogWriter {
  private readonly options: Required<Omit<LogWriterOptions, 'onWriteError' | 'onRotate'>> &
    Pick<LogWriterOptions, 'onWriteError' | 'onRotate'>;
  private fd: number | null = null;
  private file: string | null = null;
  private size = 0;
  private dayEnd = 0;
  private dirty = false;
  private failing: string | null = null;
  /** The open file ends with part of a line (a write failed half-way): the next record goes to a new part. */
  private partialLine = false;
  private readonly lastPart = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private compressing: Promise<void> = Promise.resolve();
  private closed = false;
  writeErrors = 0;
  records = 0;

  private constructor(
    options: LogWriterOptions,
    parts: Map<string, number>,
    private readonly unlock: () => void,
  ) {
    this.options = { ...options, now: options.now ?? Date.now };
    this.lastPart = parts;
    this.timer = setInterval(() => this.fsyncIfDirty(), options.fsyncMs);
    this.timer.unref();
  }

  /**
   * Creates the folder, takes the replica's lock (log-lock.ts: throws LogDirLockedError when another process writes
   * this replica there), finishes what a previous run left (temporary files, uncompressed closed files).
   */
  static async open(options: LogWriterOptions): Promise<LogWriter> {
    await mkdir(options.dir, { recursive: true });
    const unlock = lockLogDir(options.dir, options.replica);
    try {
      return await LogWriter.recover(options, unlock);
    } catch (error) {
      unlock();
      throw error;
    }
  }

  private static async recover(options: LogWriterOptions, unlock: () => void): Promise<LogWriter> {
    const names = await readdir(options.dir);
    for (const name of names) {
      // Only this replica's: another replica sharing the folder may be compressing into its own temporary file.
      if (!name.startsWith(TMP_PREFIX) || !name.endsWith(TMP_SUFFIX)) continue;
      if (parseLogFileName(name.slice(TMP_PREFIX.length, -TMP_SUFFIX.length))?.replica !== options.replica) continue;
      await unlink(path.join(options.dir, name)).catch(() => undefined);
    }
    const parts = new Map<string, number>();
    for (const name of names) {
      const parsed = parseLogFileName(name);
      if (!parsed || parsed.replica !== options.replica) continue;
      parts.set(parsed.day, Math.max(parts.get(parsed.day) ?? -1, parsed.part));
    }
    const writer = new LogWriter(options, parts, unlock);
    // Every file already there is closed: this process always starts a new part.
    if (options.gzip) {
      const present = new Set(names);
      for (const file of await listLogFiles(options.dir, options.replica)) {
        if (file.gzip) {
          const plain = file.name.slice(0, -3);
          if (present.has(plain)) await unlink(path.join(options.dir, plain)).catch(() => undefined);
        } else {
          writer.compressLater(path.join(options.dir, file.name));
        }
      }
    }
    return writer;
  }

  /** The name of the file being written, or null before the first record. */
  currentFileName(): string | null {
    return this.file === null ? null : path.basename(this.file);
  }

  /** Appends one or more complete lines; returns false when the write failed (already counted). */
  append(text: string): boolean {
    if (this.closed) return this.fail('ECLOSED');
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    try {
      const now = this.options.now();
      if (
        this.fd === null ||
        this.partialLine ||
        now >= this.dayEnd ||
        (this.size > 0 && this.size + bytes.length > this.options.maxFileBytes)
      ) {
        this.rotate(now);
      }
      while (offset < bytes.length) offset += writeSync(this.fd!, bytes, offset, bytes.length - offset);
      this.size += bytes.length;
      this.dirty = true;
      this.failing = null;
      this.records += 1;
      return true;
    } catch (error) {
      // Only a write cut short needs a new part; a write that wrote nothing retries the same file, so a long full-disk
      // incident does not leave a trail of empty files.
      if (offset > 0) this.partialLine = true;
      return this.fail((error as NodeJS.ErrnoException).code ?? 'EIO');
    }
  }

  private fail(code: string): boolean {
    this.writeErrors += 1;
    this.failing = code;
    this.options.onWriteError?.(code);
    return false;
  }

  private rotate(now: number): void {
    this.closeCurrent();
    const { day, end } = utcDay(now);
    const part = (this.lastPart.get(day) ?? -1) + 1;
    this.lastPart.set(day, part);
    const file = path.join(this.options.dir, logFileName(this.options.replica, day, part));
    this.fd = openSync(
      file,
      fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_APPEND | fsConstants.O_EXCL,
      0o640,
    );
    this.file = file;
    this.size = 0;
    this.dayEnd = end;
    this.partialLine = false;
  }

  /**
   * Rotation must not stall the event loop on the disk (a synchronous fsync here took 5 ms on a quiet disk, far more on
   * a busy one, for every request waiting behind it): the closed file is synced and closed on the thread pool, then
   * compressed; close() waits for both. Its bytes are already in the kernel, so readers see them meanwhile.
   */
  private closeCurrent(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    const file = this.file!;
    this.fd = null;
    this.file = null;
    this.dirty = false;
    this.options.onRotate?.(path.basename(file));
    const gzip = this.options.gzip;
    // A file that cannot be synced is still closed; the failure was or will be seen on write.
    const closed = new Promise<void>((resolve) => fsync(fd, () => close(fd, () => resolve())));
    this.compressing = this.compressing
      .then(() => closed)
      .then(() => (gzip ? compressFile(file) : undefined))
      .catch(() => undefined);
  }

  private fsyncIfDirty(): void {
    if (!this.dirty || this.fd === null) return;
    this.dirty = false;
    fsync(this.fd, () => undefined);
  }

  private compressLater(file: string): void {
    this.compressing = this.compressing.then(() => compressFile(file)).catch(() => undefined);
  }

  /** Resolves once every closed file queued so far is compressed. */
  async idle(): Promise<void> {
    await this.compressing;
  }

  /** Folder writable, free space above the floor, last write succeeded. */
  async health(): Promise<LogWriterHealth> {
    const reasons: string[] = [];
    try {
      await access(this.options.dir, fsConstants.W_OK);
    } catch (error) {
      reasons.push(`log directory ${this.options.dir} is not writable (${(error as NodeJS.ErrnoException).code})`);
    }
    if (reasons.length === 0) {
      try {
        const info = await statfs(this.options.dir);
        const free = info.bavail * info.bsize;
        if (free < this.options.minFreeBytes) {
          reasons.push(`log disk is full: ${free} bytes free, below ${this.options.minFreeBytes}`);
        }
      } catch {
        // statfs is not available everywhere; the write path still reports a full disk.
      }
    }
    if (this.failing !== null) reasons.push(`the last log write failed (${this.failing})`);
    return { ok: reasons.length === 0, reasons };
  }

  /** Forces the open file to disk now. */
  flush(): void {
    if (this.fd === null) return;
    this.dirty = false;
    try {
      fsyncSync(this.fd);
    } catch (error) {
      this.fail((error as NodeJS.ErrnoException).code ?? 'EIO');
    }
  }

  /**
   * Syncs and closes the open file, waits for the queued compressions and releases the lock. The file open until now
   * is compressed at the next start.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      if (this.fd !== null) {
        const fd = this.fd;
        this.fd = null;
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
      await this.compressing;
    } finally {
      this.unlock();
    }
  }
}

async function compressFile(file: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `${TMP_PREFIX}${path.basename(file)}${TMP_SUFFIX}`);
  await pipeline(createReadStream(file), createGzip(), createWriteStream(tmp, { mode: 0o640 }));
  const handle = await open(tmp, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, `${file}.gz`);
  await unlink(file);
}
