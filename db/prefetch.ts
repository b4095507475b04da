/**
 * Reads a store's pages ahead into the operating system's page cache, in large reads, before a read of every record
 * (`vigie drift --db`). The chunk pages of a store are spread through the file among the row and index pages (each
 * import commit writes its own), so a cold read of them through the memory map waits for the disk one fault at a
 * time, on the two reading threads (decision 1622). Reading them ahead runs at the disk's full speed while the caller
 * loads the reference. The reads run on libuv's thread pool, so the thread that asked stays free to take its part of
 * the read itself. What would not fit in a quarter of the free memory, or in the memory map, is left alone: it would
 * push out what it needs.
 *
 * prefetchTable reads only one table's pages (decision 1625): a read of every record needs `record_chunks` alone, a
 * third of a freshly imported store. It walks the table's b-tree in the file itself (SQLite's file format, section
 * 1.6): interior pages name their children, leaf cells name the first page of their overflow chain and, through the
 * payload size, its length. A chain is read as the run of pages that starts there: SQLite takes the pages of a new
 * blob from the end of the file or its free list one after another, so in a store written by imports (never freed)
 * the run is the chain. Where it is not, the read ahead was only wasted, never wrong: SQLite still reads every page
 * through the map. A page that does not parse as the b-tree (a store changed meanwhile) sends the read to the whole
 * file instead.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { freemem } from 'node:os';
import { MMAP_BYTES } from './memory-map.ts';

const BLOCK = 4 * 1024 * 1024;
/**
 * Reads in flight at once: enough to keep the disk busy (on the reference box 1.8 GB/s at two, 1.7 at one, 1.2 at
 * eight), few enough to leave libuv's four threads to the reference's file reads and inflating meanwhile.
 */
const IN_FLIGHT = 2;
/** Pages between two runs that are read through rather than skipped: one read instead of two. */
const GAP_PAGES = 4;
/** Interior and leaf pages of the walk: far more than a store of millions of records has; a loop ends there. */
const MAX_TREE_PAGES = 1 << 16;

/** Page numbers [first, end), 1-based as SQLite counts them. */
export type Run = [first: number, end: number];

/** Answers the bytes read (0 when the file was left alone or could not be read: the read then goes as before). */
export async function prefetchFile(file: string): Promise<number> {
  return withFile(file, 0, (handle, size) => readIfFits(handle, [[0, size]]));
}

/**
 * Reads the pages of the table whose b-tree starts at `rootPage` (sqlite_schema's rootpage); the whole file when
 * they cannot be told. Answers the bytes read, 0 when nothing was.
 */
export async function prefetchTable(file: string, rootPage: number): Promise<number> {
  return withFile(file, 0, async (handle, size) => {
    const runs = await tablePages(handle, size, rootPage).catch(() => null);
    if (!runs) return readIfFits(handle, [[0, size]]);
    const { pageSize, pages } = runs;
    return readIfFits(
      handle,
      pages.map(([first, end]) => [(first - 1) * pageSize, Math.min(size, (end - 1) * pageSize)]),
    );
  });
}

/**
 * The runs of pages that prefetchTable reads for the table at `rootPage` (its b-tree pages and overflow chains, runs
 * at most GAP_PAGES apart joined), or null where the file does not parse as that table.
 */
export async function tablePageRuns(
  file: string,
  rootPage: number,
): Promise<{ pageSize: number; pages: Run[] } | null> {
  return withFile(file, null, (handle, size) => tablePages(handle, size, rootPage));
}

/** `use` of the open file and its size; `otherwise` when the file cannot be opened or `use` fails. */
async function withFile<T>(
  file: string,
  otherwise: T,
  use: (handle: FileHandle, size: number) => Promise<T>,
): Promise<T> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return otherwise;
  }
  try {
    return await use(handle, (await handle.stat()).size);
  } catch {
    return otherwise;
  } finally {
    // Never a rejection: the worker that asked runs this in the background, without awaiting it.
    await handle.close().catch(() => undefined);
  }
}

/** The ranges read, unless they would not fit in the memory map or a quarter of the free memory (then 0). */
function readIfFits(handle: FileHandle, ranges: Array<[number, number]>): Promise<number> {
  const bytes = ranges.reduce((sum, [from, to]) => sum + to - from, 0);
  return bytes <= MMAP_BYTES && bytes <= freemem() / 4 ? readRanges(handle, ranges) : Promise.resolve(0);
}

/** Reads [from, to) byte ranges in blocks of at most BLOCK, IN_FLIGHT at a time; what is read is thrown away. */
async function readRanges(handle: FileHandle, ranges: Array<[number, number]>): Promise<number> {
  const blocks: Array<[number, number]> = [];
  for (const [from, to] of ranges)
    for (let at = from; at < to; at += BLOCK) blocks.push([at, Math.min(to, at + BLOCK)]);
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    const buffer = Buffer.allocUnsafe(BLOCK);
    while (next < blocks.length) {
      const [at, end] = blocks[next++]!;
      const { bytesRead } = await handle.read(buffer, 0, end - at, at);
      if (bytesRead === 0) return;
      done += bytesRead;
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, blocks.length) }, lane));
  return done;
}

class NotTheTree extends Error {}

function varint(page: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = page[at + i]!;
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) return [value, at + i + 1];
  }
  return [value * 256 + page[at + 8]!, at + 9];
}

/** The runs of pages of the table b-tree at `rootPage`: its interior and leaf pages and its overflow chains. */
async function tablePages(
  handle: FileHandle,
  size: number,
  rootPage: number,
): Promise<{ pageSize: number; pages: Run[] }> {
  const header = Buffer.alloc(100);
  if ((await handle.read(header, 0, 100, 0)).bytesRead < 100) throw new NotTheTree();
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') throw new NotTheTree();
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const usable = pageSize - header[20]!;
  const pageCount = Math.floor(size / pageSize);
  if (pageSize < 512 || !Number.isInteger(rootPage) || rootPage < 1 || rootPage > pageCount) throw new NotTheTree();
  // SQLite's file format, 1.6: how much of a table leaf cell's payload stays on the page.
  const maxLocal = usable - 35;
  const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
  const pages: Run[] = [];
  let level = [rootPage];
  let visited = 0;
  const buffers = Array.from({ length: IN_FLIGHT }, () => Buffer.alloc(pageSize));
  while (level.length) {
    const children: number[] = [];
    let next = 0;
    const lane = async (page: Buffer): Promise<void> => {
      while (next < level.length) {
        const pgno = level[next++]!;
        if (++visited > MAX_TREE_PAGES) throw new NotTheTree();
        pages.push([pgno, pgno + 1]);
        if ((await handle.read(page, 0, pageSize, (pgno - 1) * pageSize)).bytesRead < pageSize) throw new NotTheTree();
        const at = pgno === 1 ? 100 : 0;
        const type = page[at]!;
        if (type !== 0x05 && type !== 0x0d) throw new NotTheTree();
        const cells = page.readUInt16BE(at + 3);
        const pointers = at + (type === 0x05 ? 12 : 8);
        if (pointers + 2 * cells > usable) throw new NotTheTree();
        for (let c = 0; c < cells; c++) {
          const cell = page.readUInt16BE(pointers + 2 * c);
          if (cell < pointers || cell + 4 > usable) throw new NotTheTree();
          if (type === 0x05) {
            children.push(page.readUInt32BE(cell));
            continue;
          }
          const [payload, afterSize] = varint(page, cell);
          if (payload <= maxLocal) continue;
          const [, start] = varint(page, afterSize);
          const spill = minLocal + ((payload - minLocal) % (usable - 4));
          const local = spill <= maxLocal ? spill : minLocal;
          if (start + local + 4 > usable) throw new NotTheTree();
          const first = page.readUInt32BE(start + local);
          const count = Math.ceil((payload - local) / (usable - 4));
          if (first < 1 || first + count - 1 > pageCount) throw new NotTheTree();
          pages.push([first, first + count]);
        }
        if (type === 0x05) children.push(page.readUInt32BE(at + 8));
      }
    };
    await Promise.all(buffers.map(lane));
    for (const child of children) if (child < 1 || child > pageCount) throw new NotTheTree();
    level = children;
  }
  return { pageSize, pages: coalesce(pages) };
}

/** The runs in file order, those that touch, overlap or lie at most GAP_PAGES apart made one. */
function coalesce(runs: Run[]): Run[] {
  runs.sort((a, b) => a[0] - b[0]);
  const merged: Run[] = [];
  for (const run of runs) {
    const last = merged[merged.length - 1];
    if (last && run[0] <= last[1] + GAP_PAGES) last[1] = Math.max(last[1], run[1]);
    else merged.push([run[0], run[1]]);
  }
  return merged;
}
