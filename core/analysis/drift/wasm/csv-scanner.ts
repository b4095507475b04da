/**
 * AssemblyScript (compiled to WebAssembly by `npm run build:wasm`, embedded in ../csv-scanner-wasm.ts): the plain-record
 * fast path of the CSV scanner (../csv-scanner.ts), record after record over bytes the caller copied into this
 * module's memory (docs/decisions/1623-wasm-csv-records.md). It takes exactly the records ColumnBuilder.scanCell
 * takes, and reads them as it does: one cell per column, no quote, `,` between cells and `\n` or `\r\n` after the last;
 * a number cell empty (NaN) or a plain decimal of at most 15 digits (digits ÷ 10^k, the correctly rounded double
 * Number() gives); a category cell's code looked up by its bytes, a label not met before named by the caller
 * (`label`, which decodes it and gives the code ColumnBuilder.code would). It stops before the first record it does
 * not take, or the end of the bytes, or when the slabs are full; the caller reads that record the general way.
 *
 * Memory: the caller asks `alloc` for its regions (the bytes, the kinds, the slabs); the label table and the label
 * bytes are allocated here. Column k's slab, at slabs + 8 * k * slabRows, holds f64 numbers or i32 codes (-1: empty).
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
/** The label table: 16-byte entries (u32 hash, i32 column, i32 code + 1 (0: free), u32 address of [i32 length, bytes]). */
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

function codeOf(column: i32, start: usize, end: usize, bytesHash: u32): i32 {
  const hash = bytesHash ^ (<u32>column * 0x9e3779b1);
  const length = <i32>(end - start);
  let slot = hash & tableMask;
  for (;;) {
    const e = table + <usize>slot * 16;
    const code = load<i32>(e, 8);
    if (code == 0) break;
    if (load<u32>(e) == hash && load<i32>(e, 4) == column) {
      const kept = <usize>load<u32>(e, 12);
      if (load<i32>(kept) == length && memory.compare(kept + 4, start, <usize>length) == 0) return code - 1;
    }
    slot = (slot + 1) & tableMask;
  }
  const code = label(column, start, length);
  const kept = heap.alloc(<usize>length + 4);
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
        let c: u32 = i < end ? <u32>load<u8>(i) : 0;
        if (i < end && (c == 44 || c == 10 || c == 13)) value = NaN;
        else {
          let negative = false;
          if (c == 45) {
            negative = true;
            i++;
          } else if (c == 43) i++;
          let mantissa: u64 = 0;
          let digits: i32 = 0;
          let fraction: i32 = 0;
          while (i < end) {
            c = <u32>load<u8>(i) - 48;
            if (c > 9) break;
            mantissa = mantissa * 10 + <u64>c;
            digits++;
            i++;
          }
          if (i < end && load<u8>(i) == 46) {
            i++;
            while (i < end) {
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
        let hash: u32 = 0x811c9dc5;
        let c: u32 = 0;
        while (i < end) {
          c = <u32>load<u8>(i);
          if (c == 44 || c == 10 || c == 13 || c == 34) break;
          hash = (hash ^ c) * 0x01000193;
          i++;
        }
        if (c == 34) break;
        next = terminated(i, end, last);
        if (next == 0) break;
        if (kind == CATEGORY) {
          const at = slabs + ((<usize>k * <usize>slabRows) << 3) + (<usize>taken << 2);
          store<i32>(at, i == p ? -1 : codeOf(k, p, i, hash));
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
