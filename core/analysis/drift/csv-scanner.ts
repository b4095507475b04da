/**
 * A byte-level CSV scanner (RFC 4180: header row, `,` between cells, `"` quoting with `""` escapes, `\n` or `\r\n`
 * line ends, empty lines skipped, a UTF-8 byte-order mark ignored) that writes cells straight into typed columns:
 * numbers into Float64Arrays (NaN when missing), categories as codes into a label list. No string is made for a
 * plain number cell, nor for a category label already seen. Input arrives in chunks; a record cut by a chunk's end is
 * kept and finished with the next chunk.
 */

export type ColumnKind = 'number' | 'category';

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

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell holds, NaN when empty, undefined when it is not a decimal number. */
export function parseNumberCell(cell: string): number | undefined {
  const text = cell.trim();
  if (text === '') return Number.NaN;
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Returned by fastNumber when it cannot decide exactly; never a parsed value (a cell never parses to it). */
const UNDECIDED = -Infinity;

/**
 * Plain decimals of at most 15 digits, without exponent or spaces: the digits as an exact integer divided by an exact
 * power of ten is correctly rounded, so it equals Number(text). Anything else is UNDECIDED (the text path decides).
 */
function fastNumber(buf: Uint8Array, start: number, end: number): number {
  if (start === end) return Number.NaN;
  let i = start;
  let negative = false;
  let c = buf[i]!;
  if (c === 45) {
    negative = true;
    i += 1;
  } else if (c === 43) i += 1;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  while (i < end) {
    c = buf[i]!;
    if (c < 48 || c > 57) break;
    mantissa = mantissa * 10 + (c - 48);
    digits += 1;
    i += 1;
  }
  if (i < end && buf[i] === 46) {
    i += 1;
    while (i < end) {
      c = buf[i]!;
      if (c < 48 || c > 57) break;
      mantissa = mantissa * 10 + (c - 48);
      digits += 1;
      fraction += 1;
      i += 1;
    }
  }
  if (i !== end || digits === 0 || digits > 15) return UNDECIDED;
  const value = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
  return negative ? -value : value;
}

const decoder = new TextDecoder();

/** A copy (Buffer's own slice() is a view, and chunk buffers are reused). */
function copyBytes(buf: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.subarray(start, end));
}

function cellText(buf: Uint8Array, start: number, end: number, escaped: boolean): string {
  const text = decoder.decode(buf.subarray(start, end));
  return escaped ? text.replaceAll('""', '"') : text;
}

/** One column being filled: numeric until a cell is not a number (unless its kind is fixed), then categories. */
export class ColumnBuilder {
  numbers: Float64Array | null;
  codes: Int32Array | null = null;
  labels: string[] = [];
  length = 0;
  private index = new Map<string, number>();
  /**
   * Open-addressing table by FNV-1a hash of a label's bytes: code + 1 per slot (0: free), checked against
   * `labelBytes`, a cache in front of `index` for cells that need no decoding.
   */
  private slots = new Int32Array(256);
  private labelBytes: Uint8Array[] = [];

  constructor(
    readonly name: string,
    readonly fixedKind: ColumnKind | undefined,
    capacity = 1024,
  ) {
    this.numbers = new Float64Array(Math.max(16, capacity));
    if (fixedKind === 'category') this.toCategories();
  }

  get kind(): ColumnKind {
    return this.numbers ? 'number' : 'category';
  }

  private grow(): void {
    const capacity = (this.numbers ?? this.codes)!.length * 2;
    if (this.numbers) {
      const next = new Float64Array(capacity);
      next.set(this.numbers);
      this.numbers = next;
    } else {
      const next = new Int32Array(capacity);
      next.set(this.codes!);
      this.codes = next;
    }
  }

  /** Turns the numbers read so far into category labels (String(value)), as the rest of the column will be. */
  toCategories(): void {
    const previous = this.numbers!;
    this.codes = new Int32Array(previous.length);
    this.numbers = null;
    for (let i = 0; i < this.length; i += 1) {
      const v = previous[i]!;
      this.codes[i] = Number.isNaN(v) ? -1 : this.code(String(v));
    }
  }

  code(label: string): number {
    let code = this.index.get(label);
    if (code === undefined) {
      code = this.labels.length;
      this.labels.push(label);
      this.index.set(label, code);
    }
    return code;
  }

  private codeOfBytes(buf: Uint8Array, start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i += 1) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      const bytes = this.labelBytes[entry - 1]!;
      if (bytes.length !== length) continue;
      let i = 0;
      while (i < length && bytes[i] === buf[start + i]) i += 1;
      if (i === length) return entry - 1;
    }
    const code = this.code(decoder.decode(buf.subarray(start, end)));
    // Bytes that decode to a label met before under other bytes (invalid UTF-8) are not cached: they take this path.
    if (this.labelBytes[code] === undefined) {
      this.labelBytes[code] = copyBytes(buf, start, end);
      if (this.labelBytes.length * 2 > this.slots.length) this.rehash();
      else this.place(hash, code);
    }
    return code;
  }

  private place(hash: number, code: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = code + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 4);
    this.labelBytes.forEach((bytes, code) => {
      let hash = 0x811c9dc5;
      for (let i = 0; i < bytes.length; i += 1) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
      this.place(hash, code);
    });
  }

  /** Adds a cell given by its bytes; returns a problem when a fixed numeric column gets a non-number. */
  add(buf: Uint8Array, start: number, end: number, quoting: number): string | null {
    if (this.length === (this.numbers ?? this.codes)!.length) this.grow();
    if (this.numbers) {
      let value = quoting === 0 ? fastNumber(buf, start, end) : UNDECIDED;
      if (value === UNDECIDED) value = parseNumberCell(cellText(buf, start, end, quoting === 2)) ?? UNDECIDED;
      if (value !== UNDECIDED) {
        this.numbers[this.length++] = value;
        return null;
      }
      if (this.fixedKind === 'number')
        return `"${cellText(buf, start, end, quoting === 2).slice(0, 40)}" is not a number`;
      this.toCategories();
    }
    if (start === end) this.codes![this.length++] = -1;
    else if (quoting === 0) this.codes![this.length++] = this.codeOfBytes(buf, start, end);
    else this.codes![this.length++] = this.code(cellText(buf, start, end, quoting === 2));
    return null;
  }

  /** Appends another part of the same column (read elsewhere), remapping its category codes. */
  append(other: { numbers: Float64Array | null; codes: Int32Array | null; labels: string[]; length: number }): void {
    if (this.numbers && !other.numbers) this.toCategories();
    const total = this.length + other.length;
    const room = (this.numbers ?? this.codes)!.length >= total;
    if (this.numbers) {
      const next = room ? this.numbers : new Float64Array(total);
      if (!room) next.set(this.numbers.subarray(0, this.length));
      next.set(other.numbers!.subarray(0, other.length), this.length);
      this.numbers = next;
    } else {
      const next = room ? this.codes! : new Int32Array(total);
      if (!room) next.set(this.codes!.subarray(0, this.length));
      const map = Int32Array.from(other.labels, (label) => this.code(label));
      const codes = other.codes!;
      for (let i = 0; i < other.length; i += 1) {
        const c = codes[i]!;
        next[this.length + i] = c < 0 ? -1 : map[c]!;
      }
      this.codes = next;
    }
    this.length = total;
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
    while (pos < n) {
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
