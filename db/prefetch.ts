/**
 * Reads a store file ahead into the operating system's page cache, in large sequential reads, before a read of
 * every record (`vigie drift --db`). The chunk pages of a store are spread through the file among the row and index
 * pages (each import commit writes its own), so a cold read of them through the memory map waits for the disk one
 * fault at a time, on the two reading threads (decision 1622). One sequential pass of the whole file runs at the
 * disk's full speed while the caller loads the reference. The reads run on libuv's thread pool, so the thread that
 * asked stays free to take its part of the read itself. A file larger than a quarter of the free memory, or than the
 * memory map, is left alone: it would push out what it needs.
 */
import { open } from 'node:fs/promises';
import { freemem } from 'node:os';
import { MMAP_BYTES } from './memory-map.ts';

const BLOCK = 4 * 1024 * 1024;
/** Reads in flight at once: enough to keep the disk busy, few enough to leave the thread pool to others. */
const IN_FLIGHT = 2;

/** Answers the bytes read (0 when the file was left alone or could not be read: the read then goes as before). */
export async function prefetchFile(file: string): Promise<number> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return 0;
  }
  try {
    const { size } = await handle.stat();
    if (size > MMAP_BYTES || size > freemem() / 4) return 0;
    let next = 0;
    let done = 0;
    const lane = async (): Promise<void> => {
      // What is read is thrown away: the point is the page cache.
      const buffer = Buffer.allocUnsafe(Math.min(BLOCK, size));
      while (next < size) {
        const at = next;
        next += buffer.length;
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - at), at);
        if (bytesRead === 0) return;
        done += bytesRead;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    return done;
  } catch {
    return 0;
  } finally {
    // Never a rejection: the worker that asked runs this in the background, without awaiting it.
    await handle.close().catch(() => undefined);
  }
}
