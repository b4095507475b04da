/**
 * AssemblyScript (compiled to WebAssembly by `npm run build:wasm`, embedded in ../csv-scanner-wasm.ts): the
 * plain-record fast path of the CSV scanner (../csv-scanner.ts), record after record over bytes the caller copied
 * into this module's memory (docs/decisions/1623-wasm-csv-records.md). It takes exactly the records
 * ColumnBuilder.scanCell takes, and reads them as it does: one cell per column, no quote, `,` between cells and `\n`
 * or `\r\n` after the last; a number cell empty (NaN) or a plain decimal of at most 15 digits (digits ÷ 10^k, the
 * correctly rounded double Number() gives); a category cell's code looked up by its bytes, a label not met before
 * named by the caller (`label`, which decodes it and gives the code ColumnBuilder.code would). It stops before the
 * first record it does not take, or the end of the bytes, or when the slabs are full; the caller reads that record
 * the general way.
 *
 * Memory: the caller asks `alloc` for its regions (the bytes, the kinds, the slabs); the label table and the label
 * bytes are allocated here. The caller puts a `"` right after the bytes (and leaves 8 more readable): every scan of a
 * cell stops there, so the loops need no bounds check, and cells are scanned eight bytes at a time. Column k's slab,
 * at slabs + 8 * k * slabRows, holds f64 numbers or i32 codes (-1: empty).
 */

export const SKIP: i32 = 0;
export const NUMBER: i32 = 1;
export const CATEGORY: i32 = 2;

@external('env', 'label')
declare function label(column: i32, at: usize, length: i32): i32;

const POW10: StaticArray<f64> = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

let kinds: usize = 0;
let columns: i32 = 0;
let slabs: usize = 0;
let slabRows: i32 = 0;
/** The label table: 16-byte entries (u32 hash, i32 column, i32 code + 1 (0: free), u32 address of [length, bytes]). */
let table: usize = 0;
let tableMask: u32 = 0;
let tableUsed: u32 = 0;
let taken: i32 = 0;

export function alloc(size: usize): usize {
  return heap.alloc(size);
}

/** The kinds (i32 per column, written by the caller) and the slabs, for the records of one file. */
export function configure(kindsAt: usize, count: i32, slabsAt: usize, rowsPerSlab: i32): void {
  kinds = kindsAt;
  columns = count;
  slabs = slabsAt;
  slabRows = rowsPerSlab;
  if (table == 0) newTable(1024);
}

/** Records taken by the last `run`. */
export function rows(): i32 {
  return taken;
}

function newTable(size: u32): void {
  const old = table;
  const oldSize: u32 = table == 0 ? 0 : tableMask + 1;
  table = heap.alloc(<usize>size * 16);
  memory.fill(table, 0, <usize>size * 16);
  tableMask = size - 1;
  for (let s: u32 = 0; s < oldSize; s++) {
    const e = old + <usize>s * 16;
    if (load<i32>(e, 8) == 0) continue;
    let slot = load<u32>(e) & tableMask;
    while (load<i32>(table + <usize>slot * 16, 8) != 0) slot = (slot + 1) & tableMask;
    memory.copy(table + <usize>slot * 16, e, 16);
  }
  if (old != 0) heap.free(old);
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** The bits 0x80 of the bytes of `v` that are zero (the lowest set one marks the first such byte exactly). */
@inline
function zeroBytes(v: u64): u64 {
  return (v - ONES) & ~v & HIGHS;
}

/** The bytes of `v` before the first of `length` (< 8), the rest zero. */
@inline
function head(v: u64, length: usize): u64 {
  return v & ((<u64>1 << (<u64>length << 3)) - 1);
}

/** A hash of the `length` bytes at `at`, eight at a time (reads up to 7 bytes past them). */
function hashBytes(at: usize, length: usize): u32 {
  let h: u64 = 0xcbf29ce484222325 ^ <u64>length;
  let i: usize = 0;
  for (; i + 8 <= length; i += 8) h = (h ^ load<u64>(at + i)) * 0x100000001b3;
  if (i < length) h = (h ^ head(load<u64>(at + i), length - i)) * 0x100000001b3;
  h ^= h >> 29;
  return <u32>(h ^ (h >> 32));
}

/** Whether the `length` bytes at `a` and `b` are equal (reads up to 7 bytes past both). */
function sameBytes(a: usize, b: usize, length: usize): bool {
  let i: usize = 0;
  for (; i + 8 <= length; i += 8) if (load<u64>(a + i) != load<u64>(b + i)) return false;
  return i == length || head(load<u64>(a + i) ^ load<u64>(b + i), length - i) == 0;
}

function codeOf(column: i32, start: usize, end: usize): i32 {
  const length = <i32>(end - start);
  const hash = hashBytes(start, <usize>length) ^ (<u32>column * 0x9e3779b1);
  let slot = hash & tableMask;
  for (;;) {
    const e = table + <usize>slot * 16;
    const code = load<i32>(e, 8);
    if (code == 0) break;
    if (load<u32>(e) == hash && load<i32>(e, 4) == column) {
      const kept = <usize>load<u32>(e, 12);
      if (load<i32>(kept) == length && sameBytes(kept + 4, start, <usize>length)) return code - 1;
    }
    slot = (slot + 1) & tableMask;
  }
  const code = label(column, start, length);
  // Eight bytes of room past the label: sameBytes reads them.
  const kept = heap.alloc(<usize>length + 12);
  store<i32>(kept, length);
  memory.copy(kept + 4, start, <usize>length);
  const e = table + <usize>slot * 16;
  store<u32>(e, hash);
  store<i32>(e, column, 4);
  store<i32>(e, code + 1, 8);
  store<u32>(e, <u32>kept, 12);
  tableUsed++;
  if (tableUsed * 2 > tableMask + 1) newTable((tableMask + 1) * 4);
  return code;
}

/** Where the cell at `i` ends: its first `,`, `\n`, `\r` or `"` (the sentinel after the bytes at the latest). */
function cellEnd(at: usize): usize {
  let i = at;
  let stop: u64 = 0;
  while (stop == 0) {
    const v = load<u64>(i);
    const breaks = zeroBytes(v ^ (ONES * 0x2c)) | zeroBytes(v ^ (ONES * 0x0a)) | zeroBytes(v ^ (ONES * 0x0d));
    stop = breaks | zeroBytes(v ^ (ONES * 0x22));
    if (stop == 0) i += 8;
  }
  return i + <usize>(ctz(stop) >> 3);
}

/**
 * Where the next cell starts after a cell ending at `i`: past its `,`, or past its line end when it is the record's
 * last cell; 0 for any other byte or the end of the bytes (no cell starts at address 0).
 */
@inline
function terminated(i: usize, end: usize, last: bool): usize {
  if (i >= end) return 0;
  const c = load<u8>(i);
  if (!last) return c == 44 ? i + 1 : 0;
  if (c == 10) return i + 1;
  return c == 13 && i + 1 < end && load<u8>(i + 1) == 10 ? i + 2 : 0;
}

/** Takes the records from `at` to `end` that it can; returns where the first record it did not take starts. */
export function run(at: usize, end: usize): usize {
  taken = 0;
  let pos = at;
  const lastColumn = columns - 1;
  while (taken < slabRows && pos < end) {
    const first = load<u8>(pos);
    if (first == 10 || first == 13) break;
    let p = pos;
    let k: i32 = 0;
    for (; k <= lastColumn; k++) {
      const last = k == lastColumn;
      const kind = load<i32>(kinds + (<usize>k << 2));
      let i = p;
      let next: usize = 0;
      if (kind == NUMBER) {
        let value: f64;
        // At `end` lies the sentinel `"`: every loop below stops there, and terminated() refuses it.
        let c: u32 = <u32>load<u8>(i);
        if (c == 44 || c == 10 || c == 13) value = NaN;
        else {
          let negative = false;
          if (c == 45) {
            negative = true;
            i++;
          } else if (c == 43) i++;
          let mantissa: u64 = 0;
          let digits: i32 = 0;
          let fraction: i32 = 0;
          for (;;) {
            c = <u32>load<u8>(i) - 48;
            if (c > 9) break;
            mantissa = mantissa * 10 + <u64>c;
            digits++;
            i++;
          }
          if (load<u8>(i) == 46) {
            i++;
            for (;;) {
              c = <u32>load<u8>(i) - 48;
              if (c > 9) break;
              mantissa = mantissa * 10 + <u64>c;
              digits++;
              fraction++;
              i++;
            }
          }
          if (digits == 0 || digits > 15) break;
          value = fraction == 0 ? <f64>mantissa : <f64>mantissa / unchecked(POW10[fraction]);
          if (negative) value = -value;
        }
        next = terminated(i, end, last);
        if (next == 0) break;
        store<f64>(slabs + ((<usize>k * <usize>slabRows + <usize>taken) << 3), value);
      } else {
        i = cellEnd(i);
        if (load<u8>(i) == 34) break;
        next = terminated(i, end, last);
        if (next == 0) break;
        if (kind == CATEGORY) {
          const at = slabs + ((<usize>k * <usize>slabRows) << 3) + (<usize>taken << 2);
          store<i32>(at, i == p ? -1 : codeOf(k, p, i));
        }
      }
      p = next;
    }
    if (k <= lastColumn) break;
    taken++;
    pos = p;
  }
  return pos;
}
