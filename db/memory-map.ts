/**
 * Store connections read the file through a memory map (SQLite's `mmap_size`) instead of a `pread` per page: a large
 * column read copies its chunk blobs straight from the mapped pages, without a system call per page or a copy into
 * SQLite's page cache (decision 1616). Writes still go through the WAL. SQLite caps the size at its compiled limit
 * (2 GiB in better-sqlite3's build); the rest of a larger file is read as before.
 */
import type Database from 'better-sqlite3';

export const MMAP_BYTES = 2 ** 31;

export function mapStoreFile(db: Database.Database): void {
  if (db.name !== ':memory:') db.pragma(`mmap_size = ${MMAP_BYTES}`);
}
