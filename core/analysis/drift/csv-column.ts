/**
 * One CSV column being filled from cell bytes (csv-scanner.ts finds the cells): numbers into a Float64Array (NaN when
 * missing), categories as codes into a label list.
 */

export type ColumnKind = 'number' | 'category';

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

/**
 * Where the next cell starts after a cell ending at `i`: past its `,`, or past its line end (`\n` or `\r\n`) when it
 * is the record's last cell; -1 for any other byte or the end of the buffer.
 */
export function terminated(buf: Uint8Array, i: number, n: number, last: boolean): number {
  if (i >= n) return -1;
  const c = buf[i]!;
  if (!last) return c === 44 ? i + 1 : -1;
  if (c === 10) return i + 1;
  return c === 13 && i + 1 < n && buf[i + 1] === 10 ? i + 2 : -1;
}

const decoder = new TextDecoder();

/** A copy (Buffer's own slice() is a view, and chunk buffers are reused). */
export function copyBytes(buf: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.subarray(start, end));
}

export function cellText(buf: Uint8Array, start: number, end: number, escaped: boolean): string {
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
    return this.codeOfHashed(buf, start, end, hash);
  }

  private codeOfHashed(buf: Uint8Array, start: number, end: number, hash: number): number {
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

  /**
   * The fast path of one plain cell (csv-scanner.ts): reads the cell at `pos` and its terminator (`,`, or the line end
   * when `last`) in one pass and adds it, returning where the next cell starts. Returns -1, adding nothing, for
   * anything it does not decide exactly as `add` would (a quote, a number it cannot parse exactly, a bare `\r`, a
   * wrong terminator, the end of the buffer): the scanner then reads the whole record the general way.
   */
  scanCell(buf: Uint8Array, pos: number, n: number, last: boolean): number {
    if (this.length === (this.numbers ?? this.codes)!.length) this.grow();
    let i = pos;
    let c = 0;
    if (this.numbers) {
      let value: number;
      if (i < n && (buf[i] === 44 || buf[i] === 10 || buf[i] === 13)) value = Number.NaN;
      else {
        let negative = false;
        if (i < n) {
          c = buf[i]!;
          if (c === 45) {
            negative = true;
            i += 1;
          } else if (c === 43) i += 1;
        }
        let mantissa = 0;
        let digits = 0;
        let fraction = 0;
        while (i < n) {
          c = buf[i]!;
          if (c < 48 || c > 57) break;
          mantissa = mantissa * 10 + (c - 48);
          digits += 1;
          i += 1;
        }
        if (i < n && buf[i] === 46) {
          i += 1;
          while (i < n) {
            c = buf[i]!;
            if (c < 48 || c > 57) break;
            mantissa = mantissa * 10 + (c - 48);
            digits += 1;
            fraction += 1;
            i += 1;
          }
        }
        if (digits === 0 || digits > 15) return -1;
        value = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
        if (negative) value = -value;
      }
      const next = terminated(buf, i, n, last);
      if (next !== -1) this.numbers[this.length++] = value;
      return next;
    }
    let hash = 0x811c9dc5;
    while (i < n) {
      c = buf[i]!;
      if (c === 44 || c === 10 || c === 13 || c === 34) break;
      hash = Math.imul(hash ^ c, 0x01000193);
      i += 1;
    }
    if (c === 34) return -1;
    const next = terminated(buf, i, n, last);
    if (next !== -1) this.codes![this.length++] = i === pos ? -1 : this.codeOfHashed(buf, pos, i, hash);
    return next;
  }

  /** Adds the cells of a block read elsewhere (csv-records-wasm.ts): numbers to a numeric column, else codes. */
  appendBlock(block: Float64Array | Int32Array): void {
    while (this.length + block.length > (this.numbers ?? this.codes)!.length) this.grow();
    (this.numbers ?? this.codes)!.set(block, this.length);
    this.length += block.length;
  }

  /** Takes back the last cell added (a record the fast path gave up on half-way). */
  drop(): void {
    this.length -= 1;
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
