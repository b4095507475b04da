/**
 * Per-minute aggregates of the predictions table, maintained in the same transaction as the inserts they count
 * (only rows actually inserted, so duplicates never count twice). Latency percentiles come from core's log2
 * histogram (core/analysis/latency-histogram.ts), the one the anomaly windows use too.
 */
import type Database from 'better-sqlite3';
import { FLAT_COLUMNS } from '../core/ingest/flat-record.ts';
import { LATENCY_BINS, latencyBin } from '../core/analysis/latency-histogram.ts';
export {
  LATENCY_BINS,
  LATENCY_BINS_PER_DOUBLING,
  LATENCY_MIN_MS,
  latencyBin,
  latencyBinValue,
  latencyQuantile,
} from '../core/analysis/latency-histogram.ts';
export const PROBABILITY_BINS = 20;

export function probabilityBin(p: number): number {
  const bin = Math.floor(p * PROBABILITY_BINS);
  return bin >= PROBABILITY_BINS ? PROBABILITY_BINS - 1 : bin < 0 ? 0 : bin;
}

export interface RollupCell {
  minute: number;
  modelName: string;
  modelVersion: string;
  counts: Float64Array;
  latencySum: number;
  latencyHist: Uint32Array;
  probabilityHist: Uint32Array;
}

/** Index of each counter in RollupCell.counts, in the column order of rollup_minute. */
export const COUNTERS = [
  'requests',
  'ok',
  'invalid',
  'rejected',
  'error',
  'degraded',
  'served_fallback',
  'served_rules',
  'cache_hits',
  'decided',
  'approved',
  'latency_n',
] as const;
const C = Object.fromEntries(COUNTERS.map((name, i) => [name, i])) as Record<(typeof COUNTERS)[number], number>;
const STATUS_COUNTER: Record<string, number> = { ok: C.ok, invalid: C.invalid, rejected: C.rejected, error: C.error };

export function emptyCell(minute: number, modelName: string, modelVersion: string): RollupCell {
  return {
    minute,
    modelName,
    modelVersion,
    counts: new Float64Array(COUNTERS.length),
    latencySum: 0,
    latencyHist: new Uint32Array(LATENCY_BINS),
    probabilityHist: new Uint32Array(PROBABILITY_BINS),
  };
}

const COUNTS_BYTES = 8 * COUNTERS.length;
const CELL_BYTES = COUNTS_BYTES + 4 * (LATENCY_BINS + PROBABILITY_BINS);
const MAX_SLAB_CELLS = 256;

/**
 * Hands out cells whose counters and histograms are views into shared buffers: one allocation for up to
 * MAX_SLAB_CELLS cells instead of three per cell, and one buffer per slab for a structured clone to copy, which
 * matters for a batch of thousands of minutes built on a reader thread.
 */
class CellSlab {
  private buffer = new ArrayBuffer(0);
  private size = 0;
  private used = 0;

  cell(minute: number, modelName: string, modelVersion: string): RollupCell {
    if (this.used === this.size) {
      this.size = Math.min(MAX_SLAB_CELLS, Math.max(8, this.size * 2));
      this.buffer = new ArrayBuffer(CELL_BYTES * this.size);
      this.used = 0;
    }
    return slabCell(this.buffer, CELL_BYTES * this.used++, minute, modelName, modelVersion, 0);
  }
}

/** A cell whose counters and histograms are views into `buffer` at byte `at` (the slab layout). */
function slabCell(
  buffer: ArrayBuffer,
  at: number,
  minute: number,
  modelName: string,
  modelVersion: string,
  latencySum: number,
): RollupCell {
  return {
    minute,
    modelName,
    modelVersion,
    counts: new Float64Array(buffer, at, COUNTERS.length),
    latencySum,
    latencyHist: new Uint32Array(buffer, at + COUNTS_BYTES, LATENCY_BINS),
    probabilityHist: new Uint32Array(buffer, at + COUNTS_BYTES + 4 * LATENCY_BINS, PROBABILITY_BINS),
  };
}

/**
 * A batch's cells as they travel to the writing thread: their slab buffers whole, and per cell where its counts sit,
 * its minute, latency sum and model (as codes into `models`). A structured clone of a thousand cell objects, each
 * with three views, cost the writer more than writing them; this is a few typed arrays.
 */
export interface PackedCells {
  buffers: ArrayBuffer[];
  /** Per cell: buffer index, byte offset. */
  places: Int32Array;
  minutes: Float64Array;
  latencySums: Float64Array;
  /** Per cell: model name code, model version code, into `models`. */
  modelCodes: Int32Array;
  models: string[];
}

/** The cells in `packed`, their counts and histograms views into its buffers (as RollupBatch made them). */
export function unpackCells(packed: PackedCells): RollupCell[] {
  const cells: RollupCell[] = [];
  const { buffers, places, minutes, latencySums, modelCodes, models } = packed;
  for (let i = 0; i < minutes.length; i++) {
    const buffer = buffers[places[2 * i]!]!;
    const name = models[modelCodes[2 * i]!]!;
    const version = models[modelCodes[2 * i + 1]!]!;
    cells.push(slabCell(buffer, places[2 * i + 1]!, minutes[i]!, name, version, latencySums[i]!));
  }
  return cells;
}

/** The predictions columns a rollup counts, in the order RollupBatch.add reads them. */
export const ROLLUP_SOURCE_COLUMNS = `ts, status, model_name, model_version, degraded, served_by, cache_hit, probability,
  decision, latency_total_ms`;

const FLAT_PICK = [
  'ts',
  'status',
  'model_name',
  'model_version',
  'degraded',
  'served_by',
  'cache_hit',
  'probability',
  'decision',
  'latency_total_ms',
].map((name) => FLAT_COLUMNS.indexOf(name));
const SOURCE_PICK = FLAT_PICK.map((_, i) => i);

/** Collects the rollup changes of one write batch, keyed by minute and model. */
export class RollupBatch {
  readonly cells = new Map<string, RollupCell>();
  private last: RollupCell | null = null;
  private readonly slab = new CellSlab();

  /** The cells counted so far, packed for another thread (see PackedCells). */
  pack(): PackedCells {
    const cells = [...this.cells.values()];
    const n = cells.length;
    const buffers: ArrayBuffer[] = [];
    const bufferIndex = new Map<ArrayBufferLike, number>();
    const models: string[] = [];
    const modelIndex = new Map<string, number>();
    const code = (name: string): number => {
      let c = modelIndex.get(name);
      if (c === undefined) {
        c = models.push(name) - 1;
        modelIndex.set(name, c);
      }
      return c;
    };
    const packed: PackedCells = {
      buffers,
      places: new Int32Array(2 * n),
      minutes: new Float64Array(n),
      latencySums: new Float64Array(n),
      modelCodes: new Int32Array(2 * n),
      models,
    };
    cells.forEach((cell, i) => {
      const buffer = cell.counts.buffer;
      let b = bufferIndex.get(buffer);
      if (b === undefined) {
        b = buffers.push(buffer as ArrayBuffer) - 1;
        bufferIndex.set(buffer, b);
      }
      packed.places[2 * i] = b;
      packed.places[2 * i + 1] = cell.counts.byteOffset;
      packed.minutes[i] = cell.minute;
      packed.latencySums[i] = cell.latencySum;
      packed.modelCodes[2 * i] = code(cell.modelName);
      packed.modelCodes[2 * i + 1] = code(cell.modelVersion);
    });
    return packed;
  }

  /** Counts one flattened record (FLAT_COLUMNS order) that was inserted. */
  addFlat(row: unknown[]): void {
    this.count(row, FLAT_PICK);
  }

  /** Counts one stored row, given as ROLLUP_SOURCE_COLUMNS values. */
  add(row: unknown[]): void {
    this.count(row, SOURCE_PICK);
  }

  /** Counts the record whose ROLLUP_SOURCE_COLUMNS values sit in `row` at `pick`. */
  private count(row: unknown[], pick: readonly number[]): void {
    const minute = Math.floor((row[pick[0]!] as number) / 60_000);
    const modelName = (row[pick[2]!] as string | null) ?? '';
    const modelVersion = (row[pick[3]!] as string | null) ?? '';
    // Records come in time order within a file: most share the cell of the one before.
    let cell = this.last;
    if (!cell || cell.minute !== minute || cell.modelName !== modelName || cell.modelVersion !== modelVersion) {
      const key = `${minute}\u0000${modelName}\u0000${modelVersion}`;
      let found = this.cells.get(key);
      if (!found) {
        found = this.slab.cell(minute, modelName, modelVersion);
        this.cells.set(key, found);
      }
      cell = this.last = found;
    }
    const counts = cell.counts;
    counts[C.requests]!++;
    const statusCounter = STATUS_COUNTER[row[pick[1]!] as string];
    if (statusCounter !== undefined) counts[statusCounter]!++;
    if (row[pick[4]!] === 1) counts[C.degraded]!++;
    if (row[pick[5]!] === 'fallback') counts[C.served_fallback]!++;
    else if (row[pick[5]!] === 'rules') counts[C.served_rules]!++;
    if (row[pick[6]!] === 1) counts[C.cache_hits]!++;
    const probability = row[pick[7]!];
    if (typeof probability === 'number') {
      counts[C.decided]!++;
      if (row[pick[8]!] === 'approve') counts[C.approved]!++;
      cell.probabilityHist[probabilityBin(probability)]!++;
    }
    const total = row[pick[9]!];
    if (typeof total === 'number') {
      counts[C.latency_n]!++;
      cell.latencySum += total;
      cell.latencyHist[latencyBin(total)]!++;
    }
  }
}

/** A rollup row as read back (ts key, model, COUNTERS…, latency_sum, latency_hist, probability_hist). */
export function cellFromRow(row: unknown[]): RollupCell {
  const cell = emptyCell(row[0] as number, row[1] as string, row[2] as string);
  readCellValues(cell, row, 3);
  return cell;
}

/** Adds the stored values found in `row` from `offset` (COUNTERS…, latency_sum, latency_hist, probability_hist). */
export function readCellValues(cell: RollupCell, row: unknown[], offset: number): void {
  for (let i = 0; i < COUNTERS.length; i++) cell.counts[i]! += row[offset + i] as number;
  cell.latencySum += row[offset + COUNTERS.length] as number;
  addBlob(cell.latencyHist, row[offset + COUNTERS.length + 1] as Buffer);
  addBlob(cell.probabilityHist, row[offset + COUNTERS.length + 2] as Buffer);
}

/** The same changes summed per hour (cells keyed by epoch hour in `minute`). */
export function hourCells(cells: Iterable<RollupCell>): RollupCell[] {
  const hours = new Map<string, RollupCell>();
  for (const cell of cells) {
    const hour = Math.floor(cell.minute / 60);
    const key = `${hour}\u0000${cell.modelName}\u0000${cell.modelVersion}`;
    let total = hours.get(key);
    if (!total) {
      total = emptyCell(hour, cell.modelName, cell.modelVersion);
      hours.set(key, total);
    }
    mergeCell(total, cell);
  }
  return [...hours.values()];
}

export function mergeCell(into: RollupCell, from: RollupCell): void {
  for (let i = 0; i < into.counts.length; i++) into.counts[i]! += from.counts[i]!;
  into.latencySum += from.latencySum;
  for (let i = 0; i < LATENCY_BINS; i++) into.latencyHist[i]! += from.latencyHist[i]!;
  for (let i = 0; i < PROBABILITY_BINS; i++) into.probabilityHist[i]! += from.probabilityHist[i]!;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * A histogram as stored: little-endian uint32 counts, without the zero counts after the last non-zero one (at
 * least one count is kept). Readers add a blob's counts from the first bin (addBlob), so a shorter blob reads as
 * the full one; latencies fill the middle bins, and half of a cell's bytes were trailing zeros. On little-endian
 * machines a view, not a copy (binding copies it).
 */
export function histToBlob(hist: Uint32Array): Buffer {
  let n = hist.length;
  while (n > 1 && hist[n - 1] === 0) n--;
  if (LITTLE_ENDIAN) return Buffer.from(hist.buffer, hist.byteOffset, n * 4);
  const out = Buffer.allocUnsafe(n * 4);
  for (let i = 0; i < n; i++) out.writeUInt32LE(hist[i]!, i * 4);
  return out;
}

/** The stored histogram of two stored histograms' counts added (what `vigie_hist_add` gives SQL). */
export function addHistBlobs(a: Uint8Array, b: Uint8Array): Buffer {
  const sum = new Uint32Array(Math.max(a.length, b.length) >>> 2);
  addBlob(sum, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  addBlob(sum, Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  return histToBlob(sum);
}

/** Registers vigie_hist_add(a, b), which the rollup upserts add a stored cell's histograms with. */
export function registerRollupFunctions(db: Database.Database): void {
  db.function('vigie_hist_add', { deterministic: true }, (a, b) =>
    addHistBlobs(a instanceof Uint8Array ? a : new Uint8Array(0), b instanceof Uint8Array ? b : new Uint8Array(0)),
  );
}

/** Adds a stored histogram blob into `into`: through a typed-array view when aligned, else byte by byte. */
export function addBlob(into: Uint32Array | Float64Array, blob: Buffer): void {
  const n = Math.min(into.length, blob.length >>> 2);
  if (LITTLE_ENDIAN && blob.byteOffset % 4 === 0) {
    const view = new Uint32Array(blob.buffer, blob.byteOffset, n);
    for (let i = 0; i < n; i++) into[i]! += view[i]!;
    return;
  }
  for (let i = 0; i < n; i++) into[i]! += blob.readUInt32LE(i * 4);
}
