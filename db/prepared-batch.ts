/**
 * A write batch prepared away from the writing thread (docs/decisions/1611-ingest-on-two-cores.md): the reader
 * thread turns its flattened records into what the single SQLite writer binds, and no more. The narrow rows' values
 * travel packed — number columns in one Float64Array (NaN: null), repeated strings as codes into one small
 * dictionary, the strings of each record's own (request id, applicant ref, extra) in one array — and per
 * piece of CHUNK_ROWS records the finished chunk (statistics and typed blobs), plus the batch's rollup cells, all
 * assuming every record is new. A structured clone of that is a few typed arrays and a short list of strings per
 * record, where a clone of the records themselves cost the writer more than it saved. When a piece turns out to hold
 * duplicates, the writer cuts its chunk and the rollup down to the inserted records (subsetChunk, narrowRollup), so
 * the store is the one `rows` would have written.
 */
import { FLAT_COLUMNS, type FlatRow } from '../core/ingest/flat-record.ts';
import { CategoryEncoder, CHUNK_ROWS, decodeCategories, decodeNumbers, encodeNumbers } from './chunk-format.ts';
import { BLOB_KINDS, ChunkBuilder, ROW_COLUMNS, type ChunkContent } from './chunk-content.ts';
import { RollupBatch, type PackedCells, type RollupCell } from './rollup.ts';

export interface PreparedPiece {
  /** Records of this piece (consecutive, in batch order). */
  rows: number;
  chunk: ChunkContent;
}

export interface PreparedBatch {
  /** Records in the batch. */
  count: number;
  /** NUMBER_COLUMNS.length values per record; NaN: null. */
  numbers: Float64Array;
  /** CODED_COLUMNS.length codes per record into `dictionary`; -1: null. */
  codes: Int32Array;
  dictionary: string[];
  /** OWN_COLUMNS.length values per record. */
  own: Array<string | null>;
  pieces: PreparedPiece[];
  /** The rollup cells of the whole batch (summed in record order, as the writer sums `rows`), packed. */
  cells: PackedCells;
}

/**
 * The narrow columns the reader thread packs: every column of a row but source_id and chunk_id (the rollup's columns
 * are among them, for narrowRollup).
 */
const NARROW_COLUMNS = ROW_COLUMNS.filter((c) => c !== 'source_id' && c !== 'chunk_id');
const NUMBER_COLUMNS = ['ts', 'degraded', 'cache_hit', 'probability', 'latency_total_ms', 'latency_inference_ms'];
const OWN_COLUMNS = ['request_id', 'applicant_ref', 'extra'];
const CODED_COLUMNS = NARROW_COLUMNS.filter((c) => !NUMBER_COLUMNS.includes(c) && !OWN_COLUMNS.includes(c));
const NUMBER_FLAT = NUMBER_COLUMNS.map((c) => FLAT_COLUMNS.indexOf(c));
const CODED_FLAT = CODED_COLUMNS.map((c) => FLAT_COLUMNS.indexOf(c));
const OWN_FLAT = OWN_COLUMNS.map((c) => FLAT_COLUMNS.indexOf(c));
const NW = NUMBER_COLUMNS.length;
const CW = CODED_COLUMNS.length;
const OW = OWN_COLUMNS.length;
const REQUEST_ID_OWN = OWN_COLUMNS.indexOf('request_id');

/** Where a column's value sits in a prepared batch: [0 number | 1 coded | 2 own, slot]. */
function slotOf(column: string): [number, number] {
  if (NUMBER_COLUMNS.includes(column)) return [0, NUMBER_COLUMNS.indexOf(column)];
  if (OWN_COLUMNS.includes(column)) return [2, OWN_COLUMNS.indexOf(column)];
  return [1, CODED_COLUMNS.indexOf(column)];
}
/** For each column of a narrow row (ROW_COLUMNS order), its slot; source_id and chunk_id: -1. */
const ROW_SLOTS = ROW_COLUMNS.map((c) => (NARROW_COLUMNS.includes(c) ? slotOf(c) : ([-1, -1] as [number, number])));
const ROW_KIND = ROW_SLOTS.map(([kind]) => kind);
const ROW_SLOT = ROW_SLOTS.map(([, slot]) => slot);
const SOURCE_AT = ROW_COLUMNS.indexOf('source_id');
const CHUNK_AT = ROW_COLUMNS.indexOf('chunk_id');
/** The packed columns' places in a FlatRow, and their slots. */
const NARROW_FLAT = NARROW_COLUMNS.map((c) => FLAT_COLUMNS.indexOf(c));
const NARROW_SLOTS = NARROW_COLUMNS.map(slotOf);

/**
 * Runs on the reader thread (the store names this module as its batch preparer): takes a batch's records as they
 * are read, a few thousand at a time, so that they are packed and dropped young, and gives the prepared batch.
 */
export class BatchPreparer {
  private numbers = new Float64Array(NW * CHUNK_ROWS);
  private codes = new Int32Array(CW * CHUNK_ROWS);
  private own: Array<string | null> = [];
  private count = 0;
  private dictionary: string[] = [];
  private index = new Map<string, number>();
  private piece = new ChunkBuilder(CHUNK_ROWS);
  private pieces: PreparedPiece[] = [];
  private rollup = new RollupBatch();
  private lastValue: Array<string | null> = [];
  private lastCode: number[] = [];

  add(rows: readonly FlatRow[]): void {
    for (const row of rows) this.addRow(row);
  }

  /** Takes one record as it is parsed, and keeps none of it but its packed values (the array may be reused). */
  addRow(row: FlatRow): void {
    this.pack(row);
    this.rollup.addFlat(row);
    this.piece.add(row);
    if (this.piece.count === CHUNK_ROWS) this.flushPiece();
  }

  /** The prepared batch of every record added since the last take. */
  take(): PreparedBatch {
    if (this.piece.count > 0) this.flushPiece();
    const n = this.count;
    const batch: PreparedBatch = {
      count: n,
      numbers: this.numbers.slice(0, n * NW),
      codes: this.codes.slice(0, n * CW),
      dictionary: this.dictionary,
      own: this.own,
      pieces: this.pieces,
      cells: this.rollup.pack(),
    };
    this.own = [];
    this.count = 0;
    this.dictionary = [];
    this.index = new Map();
    this.lastValue = [];
    this.lastCode = [];
    this.pieces = [];
    this.rollup = new RollupBatch();
    return batch;
  }

  /**
   * The buffers of a batch this preparer made that nothing else shares (each view spans its whole buffer), which
   * the reader thread hands to the writer instead of copying; the batch is not read here afterwards.
   */
  transferable(batch: PreparedBatch): ArrayBuffer[] {
    const buffers = new Set<ArrayBuffer>();
    const add = (view: ArrayBufferView): void => {
      if (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength) buffers.add(view.buffer as ArrayBuffer);
    };
    add(batch.numbers);
    add(batch.codes);
    for (const piece of batch.pieces) for (const blob of piece.chunk.blobs) add(blob);
    for (const buffer of batch.cells.buffers) buffers.add(buffer);
    return [...buffers];
  }

  private flushPiece(): void {
    const piece = this.piece;
    this.piece = new ChunkBuilder(CHUNK_ROWS);
    this.pieces.push({ rows: piece.count, chunk: piece.finish() });
  }

  private pack(row: FlatRow): void {
    const i = this.count++;
    if ((i + 1) * NW > this.numbers.length) {
      const numbers = new Float64Array(this.numbers.length * 2);
      numbers.set(this.numbers);
      this.numbers = numbers;
      const codes = new Int32Array(this.codes.length * 2);
      codes.set(this.codes);
      this.codes = codes;
    }
    const numbers = this.numbers;
    for (let c = 0; c < NW; c++) {
      const value = row[NUMBER_FLAT[c]!];
      numbers[i * NW + c] = value === null || value === undefined ? NaN : (value as number);
    }
    const codes = this.codes;
    const lastValue = this.lastValue;
    const lastCode = this.lastCode;
    for (let c = 0; c < CW; c++) {
      const value = row[CODED_FLAT[c]!] as string | null;
      let code = -1;
      if (value === lastValue[c]) {
        code = lastCode[c]!;
      } else if (value !== null && value !== undefined) {
        code = this.index.get(value) ?? -1;
        if (code < 0) {
          code = this.dictionary.push(value) - 1;
          this.index.set(value, code);
        }
        // Repeated strings mostly repeat the record before: a comparison instead of a lookup.
        lastValue[c] = value;
        lastCode[c] = code;
      }
      codes[i * CW + c] = code;
    }
    for (let c = 0; c < OW; c++) this.own.push((row[OWN_FLAT[c]!] as string | null) ?? null);
  }
}

/** The preparer a reader thread uses (IngestTarget.batchPreparer). */
export function createPreparer(): BatchPreparer {
  return new BatchPreparer();
}

/** The prepared form of `rows` in one go. */
export function prepareRows(rows: readonly FlatRow[]): PreparedBatch {
  const preparer = new BatchPreparer();
  preparer.add(rows);
  return preparer.take();
}

/** True for what prepareRows returned (after a structured clone). */
export function isPreparedBatch(value: unknown): value is PreparedBatch {
  const batch = value as Partial<PreparedBatch> | null;
  return (
    typeof batch === 'object' &&
    batch !== null &&
    batch.numbers instanceof Float64Array &&
    batch.codes instanceof Int32Array &&
    Array.isArray(batch.own) &&
    Array.isArray(batch.pieces)
  );
}

function valueAt(batch: PreparedBatch, i: number, kind: number, slot: number): unknown {
  if (kind === 0) {
    const value = batch.numbers[i * NW + slot]!;
    return value === value ? value : null;
  }
  if (kind === 2) return batch.own[i * OW + slot];
  const code = batch.codes[i * CW + slot]!;
  return code < 0 ? null : batch.dictionary[code];
}

/** Fills one narrow row's parameters (ROW_COLUMNS order) at `base` for record `i`. */
export function fillRow(
  params: unknown[],
  base: number,
  batch: PreparedBatch,
  i: number,
  sourceId: number,
  chunkId: number,
): void {
  const numbers = batch.numbers;
  const codes = batch.codes;
  const dictionary = batch.dictionary;
  const own = batch.own;
  for (let c = 0; c < ROW_KIND.length; c++) {
    const kind = ROW_KIND[c]!;
    const slot = ROW_SLOT[c]!;
    if (kind === 0) {
      const value = numbers[i * NW + slot]!;
      params[base + c] = value === value ? value : null;
    } else if (kind === 1) {
      const code = codes[i * CW + slot]!;
      params[base + c] = code < 0 ? null : dictionary[code];
    } else if (kind === 2) {
      params[base + c] = own[i * OW + slot];
    }
  }
  params[base + SOURCE_AT] = sourceId;
  params[base + CHUNK_AT] = chunkId;
}

export function narrowRequestId(batch: PreparedBatch, i: number): string {
  return batch.own[i * OW + REQUEST_ID_OWN]!;
}

/** The chunk of only the records at `members` (indices within the piece), as chunkContent would build it. */
export function subsetChunk(chunk: ChunkContent, members: readonly number[]): ChunkContent {
  const n = members.length;
  const blobs = chunk.blobs.map((blob, b) => {
    const kind = BLOB_KINDS[b]!;
    if (kind === 'status') return Buffer.from(Uint8Array.from(members, (m) => blob[m]!));
    if (kind === 'number') {
      const values = decodeNumbers(blob);
      return encodeNumbers(Float64Array.from(members, (m) => values[m]!));
    }
    const { labels, codes } = decodeCategories(blob);
    const encoder = new CategoryEncoder(n);
    members.forEach((m, k) => encoder.set(k, codes[m] === 0xffff ? null : labels[codes[m]!]!));
    return encoder.encode(n);
  });
  const ts = decodeNumbers(blobs[0]!);
  const status = blobs[1]!;
  const counts = [0, 0, 0, 0];
  let tsMin = Infinity;
  let tsMax = -Infinity;
  for (let k = 0; k < n; k++) {
    if (ts[k]! < tsMin) tsMin = ts[k]!;
    if (ts[k]! > tsMax) tsMax = ts[k]!;
    counts[status[k]!]!++;
  }
  return { stats: [tsMin, tsMax, ...counts], blobs };
}

/** The rollup cells of the records at `members` (record indices within the batch), from their narrow values. */
export function narrowRollup(batch: PreparedBatch, members: readonly number[]): RollupCell[] {
  const rollup = new RollupBatch();
  const row = new Array<unknown>(FLAT_COLUMNS.length).fill(null);
  for (const m of members) {
    for (let c = 0; c < NARROW_SLOTS.length; c++) {
      row[NARROW_FLAT[c]!] = valueAt(batch, m, NARROW_SLOTS[c]![0], NARROW_SLOTS[c]![1]);
    }
    rollup.addFlat(row);
  }
  return [...rollup.cells.values()];
}
