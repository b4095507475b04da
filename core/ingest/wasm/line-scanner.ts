/**
 * AssemblyScript (compiled to WebAssembly by `npm run build:wasm`, embedded in ../line-scanner-wasm.ts): reads one
 * log line in the API's canonical shape straight from its UTF-8 bytes into fixed slots, one per key the contract
 * names, without building a JavaScript object (docs/decisions/1617-wasm-line-scanner.md). It accepts only strict,
 * compact JSON: objects of known keys, each at most once; strings without escapes or control characters; numbers
 * without exponent whose value a double holds exactly as digits ÷ 10^k (so the double is the correctly rounded one
 * JSON.parse gives); true, false, null; nested objects only where the key table allows one. The record's keys
 * outside the table (EXTRAS) and the values of RAW keys are only delimited, as bytes the caller gives JSON.parse.
 * Anything else — an unknown key inside a nested object, a repeated key, whitespace, an escape, an array, an
 * exponent, trailing bytes — answers FALLBACK, and the caller reads the line with JSON.parse as before.
 * ../line-scanner.ts turns the slots into the row.
 *
 * Memory (bytes): the key table at KEYS (written by the caller once), the slots at SLOTS, the last texts of each
 * key at LAST, the lines at INPUT (the caller leaves 8 bytes past them readable, and key names padded).
 */

export const KEYS: usize = 65536;
export const SLOTS: usize = 131072;
export const LAST: usize = 196608;
export const INPUT: usize = 1048576;
/**
 * The record's keys outside the table, at most MAX_EXTRAS of them: i32 count, then per key i32 name start, i32 name
 * length, i32 value start, i32 value length (starts from INPUT). The value is kept as its bytes, as a RAW one is.
 */
export const EXTRAS: usize = 262144;
export const MAX_EXTRAS: i32 = 8;
/** Texts kept per key (a power of two), each of at most LAST_TEXT_BYTES; longer texts are never "same". */
const LAST_WAYS: i32 = 4;
const LAST_TEXT_BYTES: i32 = 60;
const WAY_BYTES: usize = 64;
const LAST_STRIDE: usize = 256;
/** At NEXT + 4 * key: the way its next new text is kept in (round robin). */
const NEXT: usize = LAST + 128 * LAST_STRIDE;
const SLOT_BYTES: usize = 24;
/** Slot layout: f64 number @0, i32 start (from INPUT) @8, i32 length @12, u8 type @16, u8 flags @17. */
export const ABSENT: u8 = 0;
export const NUMBER: u8 = 1;
export const TEXT: u8 = 2;
export const TRUE: u8 = 3;
export const FALSE: u8 = 4;
export const NULL: u8 = 5;
export const OBJECT: u8 = 6;
/** A value kept as its bytes (start, length), for the caller's JSON.parse: an object or array under a RAW key. */
export const RAW: u8 = 7;
/**
 * flags: SAME, the text's bytes were kept already (in way `flags >> WAY_SHIFT & 3`); WIDE, it has bytes beyond
 * ASCII; KEPT, its bytes are now kept in that way (a new text evicts the way's old one).
 */
export const SAME: u8 = 1;
export const WIDE: u8 = 2;
export const KEPT: u8 = 4;
export const WAY_SHIFT: u8 = 3;

export const OK: i32 = 0;
export const FALLBACK: i32 = -1;

/**
 * Key table: at KEYS + 8 * level, i32 first key, i32 key count (levels 0 … 7; level 0 is the record). At
 * KEYS + 64 + 16 * key: i32 byte offset of the key's name (from KEYS), i32 its length, i32 the level of the object
 * it may hold (-1: none; RAW_LEVEL: an object or array kept as its bytes), i32 unused. The key's number is its slot.
 */
export const RAW_LEVEL: i32 = -2;
const KEY_ENTRIES: usize = KEYS + 64;
/** At GUESS + 4 * key: the key that followed it last time (and at GUESS + 4 * (256 + level): the level's first). */
const GUESS: usize = KEYS + 32768;

const POW10: StaticArray<f64> = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];
const MAX_EXACT: u64 = 9007199254740992; // 2^53

let p: usize = 0;
let end: usize = 0;
let seenLow: u64 = 0;
let seenHigh: u64 = 0;
let slotCount: i32 = 0;

/** Reads the line of `length` bytes at INPUT + `start`; OK with the slots filled, or FALLBACK. */
export function scanLine(start: i32, length: i32, slots: i32): i32 {
  slotCount = slots;
  for (let k: i32 = 0; k < slots; k++) store<u8>(SLOTS + <usize>k * SLOT_BYTES, ABSENT, 16);
  seenLow = 0;
  seenHigh = 0;
  store<i32>(EXTRAS, 0);
  p = INPUT + <usize>start;
  end = p + <usize>length;
  if (!object(0)) return FALLBACK;
  return p == end ? OK : FALLBACK;
}

/** Whether the `length` bytes at `a` and `b` are equal, read eight at a time (the caller leaves 8 readable bytes past both). */
function equalBytes(a: usize, b: usize, length: i32): bool {
  let i: i32 = 0;
  for (; i + 8 <= length; i += 8) {
    if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  }
  const rest = length - i;
  if (rest == 0) return true;
  const mask: u64 = ((<u64>1) << (<u64>rest * 8)) - 1;
  return ((load<u64>(a + <usize>i) ^ load<u64>(b + <usize>i)) & mask) == 0;
}

function keyMatches(key: i32, at: usize, length: i32): bool {
  const entry = KEY_ENTRIES + <usize>key * 16;
  return load<i32>(entry, 4) == length && equalBytes(KEYS + <usize>load<i32>(entry), at, length);
}

function guessAddress(level: i32, previous: i32): usize {
  return GUESS + 4 * <usize>(previous < 0 ? 256 + level : previous);
}

/** The key that followed `previous` (or opened the level) last time, or -1. */
function guessed(level: i32, previous: i32): i32 {
  const guess = load<i32>(guessAddress(level, previous));
  const first = load<i32>(KEYS + <usize>level * 8);
  return guess >= first && guess < first + load<i32>(KEYS + <usize>level * 8, 4) ? guess : -1;
}

/** The level's key whose name is the `length` bytes at `at` (and the guess for next time), or -1. */
function findKey(level: i32, previous: i32, at: usize, length: i32): i32 {
  const first = load<i32>(KEYS + <usize>level * 8);
  const count = load<i32>(KEYS + <usize>level * 8, 4);
  for (let key = first; key < first + count; key++) {
    if (keyMatches(key, at, length)) {
      store<i32>(guessAddress(level, previous), key);
      return key;
    }
  }
  return -1;
}

function markSeen(key: i32): bool {
  if (key < 64) {
    const bit: u64 = (<u64>1) << (<u64>key);
    if (seenLow & bit) return false;
    seenLow |= bit;
  } else {
    const bit: u64 = (<u64>1) << (<u64>(key - 64));
    if (seenHigh & bit) return false;
    seenHigh |= bit;
  }
  return true;
}

/** An object of the level's keys at p; leaves p after its closing brace. */
function object(level: i32): bool {
  if (p >= end || load<u8>(p) != 0x7b) return false;
  p++;
  if (p < end && load<u8>(p) == 0x7d) {
    p++;
    return true;
  }
  let previous: i32 = -1;
  while (true) {
    if (p >= end || load<u8>(p) != 0x22) return false;
    const name = p + 1;
    // The key that came here last time, compared in place: most keys need no search for their closing quote.
    let key = guessed(level, previous);
    let q: usize = 0;
    if (key >= 0) {
      const length = load<i32>(KEY_ENTRIES + <usize>key * 16, 4);
      q = name + <usize>length;
      if (q >= end || load<u8>(q) != 0x22 || !keyMatches(key, name, length)) key = -1;
    }
    if (key < 0) {
      q = name;
      while (true) {
        if (q >= end) return false;
        const c = load<u8>(q);
        if (c == 0x22) break;
        if (c == 0x5c || c < 0x20 || c >= 0x80) return false;
        q++;
      }
      key = findKey(level, previous, name, <i32>(q - name));
    }
    if (key < 0) {
      // A key of the record's the table does not name: delimited for the caller (its bytes are plain ASCII).
      if (level != 0 || !extra(name, q)) return false;
    } else {
      if (key >= slotCount || !markSeen(key)) return false;
      p = q + 1;
      if (p >= end || load<u8>(p) != 0x3a) return false;
      p++;
      if (!value(key)) return false;
      previous = key;
    }
    if (p >= end) return false;
    const c = load<u8>(p);
    p++;
    if (c == 0x7d) return true;
    if (c != 0x2c) return false;
  }
}

/** Records the key named by the bytes [name, q) and its value's bytes (q is the key's closing quote). */
function extra(name: usize, q: usize): bool {
  const count = load<i32>(EXTRAS);
  if (count >= MAX_EXTRAS) return false;
  p = q + 1;
  if (p >= end || load<u8>(p) != 0x3a) return false;
  p++;
  const from = p;
  if (!skipValue()) return false;
  const entry = EXTRAS + 4 + <usize>count * 16;
  store<i32>(entry, <i32>(name - INPUT));
  store<i32>(entry, <i32>(q - name), 4);
  store<i32>(entry, <i32>(from - INPUT), 8);
  store<i32>(entry, <i32>(p - from), 12);
  store<i32>(EXTRAS, count + 1);
  return true;
}

/**
 * Moves p past one JSON value without reading it: strings (escapes skipped), brackets counted outside strings, a
 * scalar up to the comma or brace after it. Whether the bytes are JSON is the caller's JSON.parse's to say: a sound
 * value ends exactly here, so a line whose every other part the scanner read holds the value those bytes parse to.
 */
function skipValue(): bool {
  let depth: i32 = 0;
  while (p < end) {
    const c = load<u8>(p);
    if (c == 0x22) {
      p++;
      while (true) {
        if (p >= end) return false;
        const d = load<u8>(p);
        if (d == 0x22) break;
        p += d == 0x5c ? 2 : 1;
      }
      p++;
      if (depth == 0) return true;
    } else if (c == 0x7b || c == 0x5b) {
      depth++;
      p++;
    } else if (c == 0x7d || c == 0x5d) {
      if (depth == 0) return true;
      depth--;
      p++;
      if (depth == 0) return true;
    } else if (c == 0x2c && depth == 0) {
      return true;
    } else {
      p++;
    }
  }
  return false;
}

function literal(a: u8, b: u8, c: u8, d: u8, length: usize): bool {
  if (p + length > end) return false;
  if (load<u8>(p) != a || load<u8>(p, 1) != b || load<u8>(p, 2) != c || load<u8>(p, 3) != d) return false;
  if (length == 5 && load<u8>(p, 4) != 0x65) return false;
  p += length;
  return true;
}

function value(key: i32): bool {
  const slot = SLOTS + <usize>key * SLOT_BYTES;
  if (p >= end) return false;
  const c = load<u8>(p);
  if (c == 0x22) return text(key, slot);
  if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return number(slot);
  if (c == 0x74) {
    store<u8>(slot, TRUE, 16);
    return literal(0x74, 0x72, 0x75, 0x65, 4);
  }
  if (c == 0x66) {
    store<u8>(slot, FALSE, 16);
    return literal(0x66, 0x61, 0x6c, 0x73, 5);
  }
  if (c == 0x6e) {
    store<u8>(slot, NULL, 16);
    return literal(0x6e, 0x75, 0x6c, 0x6c, 4);
  }
  if (c == 0x7b || c == 0x5b) {
    const child = load<i32>(KEY_ENTRIES + <usize>key * 16, 8);
    if (child == RAW_LEVEL) {
      const from = p;
      if (!skipValue()) return false;
      store<i32>(slot, <i32>(from - INPUT), 8);
      store<i32>(slot, <i32>(p - from), 12);
      store<u8>(slot, RAW, 16);
      return true;
    }
    if (child < 0 || c == 0x5b) return false;
    store<u8>(slot, OBJECT, 16);
    return object(child);
  }
  return false;
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** The bits 0x80 of the bytes of `v` that are zero (the lowest set one marks the first such byte exactly). */
@inline
function zeroBytes(v: u64): u64 {
  return (v - ONES) & ~v & HIGHS;
}

function text(key: i32, slot: usize): bool {
  const start = p + 1;
  let q = start;
  let wide: u8 = 0;
  // Eight bytes at a time up to the first quote, backslash or control byte, noting bytes beyond ASCII.
  while (q + 8 <= end) {
    const v = load<u64>(q);
    const stop = zeroBytes(v ^ (ONES * 0x22)) | zeroBytes(v ^ (ONES * 0x5c)) | ((v - ONES * 0x20) & ~v & HIGHS);
    if (stop == 0) {
      if (v & HIGHS) wide = WIDE;
      q += 8;
      continue;
    }
    const before = <usize>(ctz(stop) >> 3);
    if (before > 0 && (v & HIGHS & ((<u64>1 << (<u64>before * 8)) - 1)) != 0) wide = WIDE;
    q += before;
    break;
  }
  while (true) {
    if (q >= end) return false;
    const c = load<u8>(q);
    if (c == 0x22) break;
    if (c == 0x5c || c < 0x20) return false;
    if (c >= 0x80) wide = WIDE;
    q++;
  }
  const length = <i32>(q - start);
  store<i32>(slot, <i32>(start - INPUT), 8);
  store<i32>(slot, length, 12);
  store<u8>(slot, TEXT, 16);
  // The slot's last LAST_WAYS texts of at most LAST_TEXT_BYTES: a category takes a few values over and over. Each way
  // is i32 length, then the bytes; the flags say which way holds this text, and whether it held it already.
  let flags: u8 = wide;
  if (length <= LAST_TEXT_BYTES) {
    const base = LAST + <usize>key * LAST_STRIDE;
    let way: i32 = -1;
    for (let w: i32 = 0; w < LAST_WAYS; w++) {
      const entry = base + <usize>w * WAY_BYTES;
      if (load<i32>(entry) == length && equalBytes(entry + 4, start, length)) {
        way = w;
        break;
      }
    }
    if (way >= 0) {
      flags |= SAME | KEPT | (<u8>way << WAY_SHIFT);
    } else {
      const next = NEXT + <usize>key * 4;
      way = load<i32>(next);
      store<i32>(next, (way + 1) & (LAST_WAYS - 1));
      const entry = base + <usize>way * WAY_BYTES;
      store<i32>(entry, length);
      memory.copy(entry + 4, start, <usize>length);
      flags |= KEPT | (<u8>way << WAY_SHIFT);
    }
  }
  store<u8>(slot, flags, 17);
  p = q + 1;
  return true;
}

function number(slot: usize): bool {
  let negative = false;
  if (load<u8>(p) == 0x2d) {
    negative = true;
    p++;
  }
  if (p >= end) return false;
  let c = load<u8>(p);
  let mantissa: u64 = 0;
  let digits: i32 = 0;
  if (c == 0x30) {
    p++;
  } else if (c >= 0x31 && c <= 0x39) {
    while (p < end) {
      c = load<u8>(p);
      if (c < 0x30 || c > 0x39) break;
      mantissa = mantissa * 10 + <u64>(c - 0x30);
      digits++;
      p++;
    }
  } else {
    return false;
  }
  let scale: i32 = 0;
  if (p < end && load<u8>(p) == 0x2e) {
    p++;
    const from = p;
    while (p < end) {
      c = load<u8>(p);
      if (c < 0x30 || c > 0x39) break;
      mantissa = mantissa * 10 + <u64>(c - 0x30);
      if (mantissa != 0) digits++;
      scale++;
      p++;
    }
    if (p == from) return false;
  }
  if (p < end) {
    c = load<u8>(p);
    if (c == 0x65 || c == 0x45) return false;
  }
  // Digits counted from the first non-zero one: 19 of them cannot overflow 64 bits.
  if (digits > 19 || mantissa > MAX_EXACT || scale > 22) return false;
  let v = <f64>mantissa;
  if (scale > 0) v = v / POW10[scale];
  store<f64>(slot, negative ? -v : v);
  store<u8>(slot, NUMBER, 16);
  return true;
}
