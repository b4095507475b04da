/**
 * The functions the `predictions` view (migration 0007) reads applicant values with, registered on every connection
 * that opens a store. SQL evaluates `vigie_chunk_load(chunk, slot, field, blob)` only when
 * `vigie_chunk_cached(chunk, field)` is false, so a scan of consecutive records decodes each chunk's blob once
 * instead of copying it per record. Chunks never change once written; the cache is emptied when this connection
 * writes (a rolled-back chunk id could be written again).
 */
import type Database from 'better-sqlite3';
import { APPLICANT_COLUMNS } from '../core/ingest/applicant-columns.ts';
import { CHUNK_ONLY_COLUMNS } from './chunk-content.ts';
import { decodeCategories, decodeNumbers, MISSING_CODE, type DecodedCategories } from './chunk-format.ts';

const KEPT_CHUNKS = 8;
/** The view's fields read from chunks, by number: the applicant fields, then the chunk-only columns (migration 0008). */
const VIEW_FIELDS = [...APPLICANT_COLUMNS, ...CHUNK_ONLY_COLUMNS];
const IS_NUMBER = VIEW_FIELDS.map((c) => c.kind === 'number');

type Decoded = Float64Array | DecodedCategories;

class ChunkCache {
  private readonly chunks = new Map<number, Array<Decoded | undefined>>();

  has(chunk: number, field: number): boolean {
    return this.chunks.get(chunk)?.[field] !== undefined;
  }

  load(chunk: number, field: number, blob: Uint8Array | null): void {
    let fields = this.chunks.get(chunk);
    if (!fields) {
      if (this.chunks.size >= KEPT_CHUNKS) this.chunks.delete(this.chunks.keys().next().value!);
      fields = new Array<Decoded | undefined>(VIEW_FIELDS.length);
      this.chunks.set(chunk, fields);
    }
    if (blob) fields[field] = IS_NUMBER[field] ? decodeNumbers(blob) : decodeCategories(blob);
  }

  value(chunk: number, slot: number, field: number): number | string | null {
    const decoded = this.chunks.get(chunk)?.[field];
    if (decoded === undefined) return null;
    if (decoded instanceof Float64Array) {
      const x = decoded[slot];
      return x === undefined || Number.isNaN(x) ? null : x;
    }
    const code = decoded.codes[slot];
    return code === undefined || code === MISSING_CODE ? null : (decoded.labels[code] ?? null);
  }

  clear(): void {
    this.chunks.clear();
  }
}

const caches = new WeakMap<Database.Database, ChunkCache>();

export function registerChunkFunctions(db: Database.Database): void {
  if (caches.has(db)) return;
  const cache = new ChunkCache();
  caches.set(db, cache);
  const int = (value: unknown): number => Number(value);
  db.function('vigie_chunk_cached', { deterministic: false }, (chunk, field) =>
    cache.has(int(chunk), int(field)) ? 1 : 0,
  );
  db.function('vigie_chunk_value', { deterministic: false }, (chunk, slot, field) =>
    cache.value(int(chunk), int(slot), int(field)),
  );
  db.function('vigie_chunk_load', { deterministic: false }, (chunk, slot, field, blob) => {
    cache.load(int(chunk), int(field), blob instanceof Uint8Array ? blob : null);
    return cache.value(int(chunk), int(slot), int(field));
  });
}

/** Forgets the decoded chunks of `db` (before and after it writes). */
export function forgetChunks(db: Database.Database): void {
  caches.get(db)?.clear();
}
