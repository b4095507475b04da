/**
 * The CSV scanner's plain-record fast path in WebAssembly (wasm/csv-scanner.ts, decision 1623): the bytes of a scan
 * are copied into the module's memory once, the module reads as many plain records as it can into one slab per
 * column, and the slabs are appended to the columns. It takes exactly the records ColumnBuilder.scanCell takes, and
 * reads them as it does; the scanner reads the record it stops at the general way.
 */
import { instantiateWasm, type WasmMemory } from '../../runtime/wasm.ts';
import type { ColumnBuilder } from './csv-column.ts';
import { CSV_SCANNER_WASM } from './csv-scanner-wasm.ts';

const SKIP = 0;
const NUMBER = 1;
const CATEGORY = 2;
/** Records per call: the slabs take 8 bytes a cell. */
const SLAB_ROWS = 2048;
/** The module reads up to a quote placed after the bytes, and 8 bytes at a time. */
const QUOTE = 0x22;
const SENTINEL_ROOM = 16;

interface Exports {
  memory: WasmMemory;
  alloc(size: number): number;
  configure(kinds: number, count: number, slabs: number, rowsPerSlab: number): void;
  run(at: number, end: number): number;
  rows(): number;
}

const decoder = new TextDecoder();

export class WasmRecords {
  private readonly wasm: Exports;
  private readonly kindsAt: number;
  private readonly slabsAt: number;
  private input = 0;
  private inputSize = 0;
  private bytes: Uint8Array;

  private constructor(private readonly columns: ReadonlyArray<ColumnBuilder | null>) {
    this.wasm = instantiateWasm<Exports>(CSV_SCANNER_WASM, {
      imports: {
        label: (column: number, at: number, length: number) =>
          this.columns[column]!.code(decoder.decode(this.view().subarray(at, at + length))),
      },
      agreed: { SKIP, NUMBER, CATEGORY },
      name: 'CSV scanner',
    });
    this.kindsAt = this.wasm.alloc(4 * columns.length);
    this.slabsAt = this.wasm.alloc(8 * SLAB_ROWS * columns.length);
    this.wasm.configure(this.kindsAt, columns.length, this.slabsAt, SLAB_ROWS);
    this.bytes = new Uint8Array(this.wasm.memory.buffer);
  }

  /** The fast path for these columns, or null where WebAssembly cannot run it (the scanner then reads in JavaScript). */
  static create(columns: ReadonlyArray<ColumnBuilder | null>): WasmRecords | null {
    // A record has at least one cell, so a header does; the module would take empty records for ever without one.
    if (columns.length === 0) return null;
    try {
      return new WasmRecords(columns);
    } catch {
      return null;
    }
  }

  /** The module's memory (a new buffer after it grew). */
  private view(): Uint8Array {
    if (this.bytes.buffer !== this.wasm.memory.buffer) this.bytes = new Uint8Array(this.wasm.memory.buffer);
    return this.bytes;
  }

  /** Copies the bytes the next `records` calls read, followed by the module's sentinel (a quote) and 8 spare bytes. */
  load(buf: Uint8Array): void {
    if (buf.length + SENTINEL_ROOM > this.inputSize) {
      this.inputSize = Math.max(buf.length + SENTINEL_ROOM, 2 * this.inputSize, 1 << 20);
      this.input = this.wasm.alloc(this.inputSize);
    }
    const bytes = this.view();
    bytes.set(buf, this.input);
    bytes[this.input + buf.length] = QUOTE;
  }

  /**
   * Reads the plain records of the loaded bytes from `pos` (before `end`) into the columns, a slab at a time; returns
   * how many it read and where the first record it did not take starts (`pos` when it took none).
   */
  records(pos: number, end: number): { rows: number; next: number } {
    const kinds = new Int32Array(this.wasm.memory.buffer, this.kindsAt, this.columns.length);
    this.columns.forEach((column, k) => {
      kinds[k] = !column ? SKIP : column.numbers ? NUMBER : CATEGORY;
    });
    let at = pos;
    let rows = 0;
    for (;;) {
      const next = this.wasm.run(this.input + at, this.input + end) - this.input;
      const taken = this.wasm.rows();
      const buffer = this.wasm.memory.buffer;
      this.columns.forEach((column, k) => {
        if (!column || taken === 0) return;
        const slab = this.slabsAt + 8 * SLAB_ROWS * k;
        if (column.numbers) column.appendBlock(new Float64Array(buffer, slab, taken));
        else column.appendBlock(new Int32Array(buffer, slab, taken));
      });
      rows += taken;
      at = next;
      if (taken < SLAB_ROWS) return { rows, next: at };
    }
  }
}
