/**
 * A byte-level CSV scanner (RFC 4180: header row, `,` between cells, `"` quoting with `""` escapes, `\n` or `\r\n`
 * line ends, empty lines skipped, a UTF-8 byte-order mark ignored) that writes cells straight into typed columns:
 * numbers into Float64Arrays (NaN when missing), categories as codes into a label list. No string is made for a
 * plain number cell, nor for a category label already seen. Input arrives in chunks; a record cut by a chunk's end is
 * kept and finished with the next chunk.
 */
import { cellText, ColumnBuilder, copyBytes, terminated, type ColumnKind } from './csv-column.ts';
import { WasmRecords } from './csv-records-wasm.ts';

/** The fast path over a cell of a column that is not kept: its end, or -1 at a quote (see fastRecord). */
function skipCell(buf: Uint8Array, pos: number, n: number, last: boolean): number {
  let i = pos;
  while (i < n) {
    const c = buf[i]!;
    if (c === 44 || c === 10 || c === 13) break;
    if (c === 34) return -1;
    i += 1;
  }
  return terminated(buf, i, n, last);
}

export { parseNumberCell, ColumnBuilder, type ColumnKind } from './csv-column.ts';

export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/** A problem found while scanning, placed by data row or by physical line; the caller adds the file name. */
export class ScanError extends Error {
  constructor(
    readonly place: 'row' | 'line',
    readonly at: number,
    readonly detail: string,
    readonly column?: string,
  ) {
    super(detail);
  }

  /** The one-line message, with the rows or lines of the parts of the file read before this one. */
  describe(source: string, rowsBefore = 0, linesBefore = 0): string {
    const where = this.place === 'row' ? this.at + rowsBefore : this.at + linesBefore;
    return `${source}: line ${where}${this.column === undefined ? '' : `, column ${this.column}`}: ${this.detail}`;
  }
}

export interface ScannerOptions {
  /** Kind per column; columns not listed are inferred. */
  kinds?: ReadonlyMap<string, ColumnKind>;
  /** Columns to keep (default: all). */
  keep?: ReadonlySet<string>;
  /** The header, when this scanner reads a later part of a file (its first record is data). */
  header?: string[];
  /** Rows to make room for in each column at the start. */
  capacity?: number;
  /** Plain records read in WebAssembly where it runs (default true; false: in JavaScript, as the tests compare). */
  wasm?: boolean;
}

/** Scans CSV bytes, chunk after chunk, into ColumnBuilders. */
export class CsvScanner {
  header: string[] | null = null;
  columns: Array<ColumnBuilder | null> = [];
  rows = 0;
  /** Physical lines consumed so far. */
  lines = 0;
  private leftover: Uint8Array | null = null;
  private first = true;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private quoting = new Uint8Array(64);
  /** The plain-record fast path in WebAssembly, once the header is known (null: fastRecord's, in JavaScript). */
  private fast: WasmRecords | null = null;

  constructor(private readonly options: ScannerOptions = {}) {
    if (options.header) this.setHeader(options.header);
  }

  private setHeader(header: string[]): void {
    this.header = header;
    this.columns = header.map((name) =>
      !this.options.keep || this.options.keep.has(name)
        ? new ColumnBuilder(name, this.options.kinds?.get(name), this.options.capacity)
        : null,
    );
    this.fast = this.options.wasm === false ? null : WasmRecords.create(this.columns);
  }

  /** Bytes of an incomplete record waiting for the next chunk (0 after a complete record). */
  get pending(): number {
    return this.leftover?.length ?? 0;
  }

  /**
   * Scans the whole records of `buf` (after a byte-order mark at the start of the input) and returns how many bytes
   * they took: the caller keeps the rest and hands it over again, followed by more input (see push).
   */
  consume(buf: Uint8Array, final = false): number {
    let skip = 0;
    if (this.first) {
      this.first = false;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) skip = 3;
    }
    return skip + this.scan(skip ? buf.subarray(skip) : buf, final);
  }

  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.first) {
      this.first = false;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    if (this.leftover) {
      const joined = new Uint8Array(this.leftover.length + buf.length);
      joined.set(this.leftover);
      joined.set(buf, this.leftover.length);
      buf = joined;
    }
    const used = this.scan(buf, false);
    this.leftover = used < buf.length ? copyBytes(buf, used, buf.length) : null;
  }

  /** The end of the input: a last record without a line end counts; an open quote is an error. */
  finish(): void {
    if (this.leftover) this.scan(this.leftover, true);
    this.leftover = null;
  }

  private cell(k: number, start: number, end: number, quoting: number): void {
    if (k === this.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const next = new (a.constructor as new (n: number) => T)(a.length * 2);
        next.set(a);
        return next;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
      this.quoting = grow(this.quoting);
    }
    this.starts[k] = start;
    this.ends[k] = end;
    this.quoting[k] = quoting;
  }

  /** Scans whole records from buf; returns where the first unfinished one starts (buf.length when none). */
  private scan(buf: Uint8Array, final: boolean): number {
    const n = buf.length;
    let pos = 0;
    let loaded = false;
    while (pos < n) {
      if (this.fast) {
        if (!loaded) this.fast.load(buf);
        loaded = true;
        const { rows, next } = this.fast.records(pos, n);
        this.rows += rows;
        this.lines += rows;
        pos = next;
        if (pos === n) break;
      }
      const recordStart = pos;
      let c = buf[pos]!;
      if (c === 10) {
        pos += 1;
        this.lines += 1;
        continue;
      }
      if (c === 13) {
        if (pos + 1 === n && !final) return recordStart;
        if (pos + 1 === n || buf[pos + 1] === 10) {
          pos += pos + 1 === n ? 1 : 2;
          this.lines += 1;
          continue;
        }
      }
      // The module takes exactly the records fastRecord takes: where it stopped, fastRecord would give up too.
      if (this.header && !this.fast) {
        const next = this.fastRecord(buf, pos, n);
        if (next !== -1) {
          pos = next;
          continue;
        }
      }
      let cells = 0;
      let quotedLines = 0;
      let ended = false;
      while (!ended) {
        if (pos < n && buf[pos] === 34) {
          let j = pos + 1;
          let escaped = false;
          let close: number;
          for (;;) {
            const q = buf.indexOf(34, j);
            if (q === -1) {
              if (!final) return recordStart;
              throw new ScanError('line', this.lines + 1, 'a quoted cell is not closed (unclosed quote)');
            }
            if (q + 1 < n && buf[q + 1] === 34) {
              escaped = true;
              j = q + 2;
              continue;
            }
            if (q + 1 === n && !final) return recordStart;
            close = q;
            break;
          }
          for (let i = pos + 1; i < close; i += 1) if (buf[i] === 10) quotedLines += 1;
          this.cell(cells++, pos + 1, close, escaped ? 2 : 1);
          pos = close + 1;
          if (pos === n) {
            ended = true;
          } else {
            c = buf[pos]!;
            if (c === 44) pos += 1;
            else if (c === 10) {
              pos += 1;
              ended = true;
            } else if (c === 13 && pos + 1 < n && buf[pos + 1] === 10) {
              pos += 2;
              ended = true;
            } else if (c === 13 && pos + 1 === n && !final) return recordStart;
            else {
              throw new ScanError(
                'line',
                this.lines + quotedLines + 1,
                'unexpected text after the closing quote of a cell (quote the whole cell, and double quotes inside it)',
              );
            }
          }
        } else {
          let j = pos;
          while (j < n) {
            c = buf[j]!;
            if (c === 44 || c === 10) break;
            if (c === 34) {
              throw new ScanError(
                'line',
                this.lines + quotedLines + 1,
                'a quote inside an unquoted cell (quote the whole cell, and double quotes inside it)',
              );
            }
            j += 1;
          }
          if (j === n) {
            if (!final) return recordStart;
            const end = j > pos && buf[j - 1] === 13 ? j - 1 : j;
            this.cell(cells++, pos, end, 0);
            pos = j;
            ended = true;
          } else if (c === 44) {
            this.cell(cells++, pos, j, 0);
            pos = j + 1;
            // A comma at the very end of the input still opens one more (empty) cell.
            if (pos === n) {
              if (!final) return recordStart;
              this.cell(cells++, pos, pos, 0);
              ended = true;
            }
          } else {
            this.cell(cells++, pos, j > pos && buf[j - 1] === 13 ? j - 1 : j, 0);
            pos = j + 1;
            ended = true;
          }
        }
      }
      this.lines += 1 + quotedLines;
      this.record(buf, cells);
    }
    return n;
  }

  /**
   * One record of plain cells (no quotes, exact numbers, one per column) read and added in a single pass; returns
   * where the next record starts, or -1, with nothing added, when the general path below must read it.
   */
  private fastRecord(buf: Uint8Array, start: number, n: number): number {
    const columns = this.columns;
    const last = columns.length - 1;
    let pos = start;
    for (let k = 0; k <= last; k += 1) {
      const column = columns[k];
      const next = column ? column.scanCell(buf, pos, n, k === last) : skipCell(buf, pos, n, k === last);
      if (next === -1) {
        for (let j = 0; j < k; j += 1) columns[j]?.drop();
        return -1;
      }
      pos = next;
    }
    this.rows += 1;
    this.lines += 1;
    return pos;
  }

  private record(buf: Uint8Array, cells: number): void {
    if (!this.header) {
      const header: string[] = [];
      for (let k = 0; k < cells; k += 1) {
        header.push(cellText(buf, this.starts[k]!, this.ends[k]!, this.quoting[k] === 2).trim());
      }
      this.setHeader(header);
      return;
    }
    const expected = this.header.length;
    if (cells !== expected) {
      throw new ScanError(
        'line',
        this.lines,
        `the record has ${cells} field${cells === 1 ? '' : 's'} but the header has ${expected} (one cell per column on every line)`,
      );
    }
    this.rows += 1;
    const columns = this.columns;
    for (let k = 0; k < expected; k += 1) {
      const column = columns[k];
      if (!column) continue;
      const problem = column.add(buf, this.starts[k]!, this.ends[k]!, this.quoting[k]!);
      if (problem) throw new ScanError('row', this.rows + 1, problem, column.name);
    }
  }
}
