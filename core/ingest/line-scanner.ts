/**
 * Reads log lines in the API's canonical shape from their UTF-8 bytes with a WebAssembly scanner
 * (wasm/line-scanner.ts, embedded in line-scanner-wasm.ts) instead of JSON.parse, and gives the row
 * canonicalRow(JSON.parse(line)) gives — the same values, the same null for a record canonicalRow refuses — without
 * building the record's objects or decoding the line into a string (docs/decisions/1617-wasm-line-scanner.md). A
 * line the scanner does not take (whitespace, escapes, exponents, unknown or repeated keys, an error object …) is
 * the caller's to read the old way; tests/core/ingest/line-scanner.test.ts compares both on logged and mutated lines.
 */
import { APPLICANT_COLUMNS } from './applicant-columns.ts';
import { canonicalTime, REQUEST_ID_PATTERN } from './canonical-record.ts';
import {
  BASE_COLUMNS,
  FLAT_COLUMNS,
  KNOWN_LATENCY,
  KNOWN_MODEL,
  KNOWN_OUTPUT,
  KNOWN_TOP_LEVEL,
  type FlatRow,
} from './flat-record.ts';
import { LINE_SCANNER_WASM } from './line-scanner-wasm.ts';
import { instantiateWasm, type WasmMemory } from '../runtime/wasm.ts';

// Types and flags of a slot, as wasm/line-scanner.ts exports them (checked when the module loads).
const ABSENT = 0;
const NUMBER = 1;
const TEXT = 2;
const TRUE = 3;
const NULL = 5;
const OBJECT = 6;
const RAW = 7;
const RAW_LEVEL = -2;
const MAX_EXTRAS = 8;
const SAME = 1;
const WIDE = 2;
const KEPT = 4;
const WAY_SHIFT = 3;
const WAYS = 4;
const SLOT_BYTES = 24;

/** The key levels: the record, then the objects it may hold, each key a slot (the order is the table's). */
const TOP = [...KNOWN_TOP_LEVEL];
const MODEL = 1;
const INPUT = 2;
const OUTPUT = 3;
const LATENCY = 4;
const LEVELS: Array<{ keys: readonly string[]; holds?: Record<string, number> }> = [
  // The error object is kept as its bytes, for JSON.parse (RAW_LEVEL): its content is free-form.
  { keys: TOP, holds: { model: MODEL, input: INPUT, output: OUTPUT, latency_ms: LATENCY, error: RAW_LEVEL } },
  { keys: [...KNOWN_MODEL] },
  { keys: APPLICANT_COLUMNS.map((c) => c.name) },
  { keys: [...KNOWN_OUTPUT] },
  { keys: [...KNOWN_LATENCY] },
];
const FIRST_KEY = LEVELS.reduce<number[]>((firsts, level, i) => {
  firsts.push(i === 0 ? 0 : firsts[i - 1]! + LEVELS[i - 1]!.keys.length);
  return firsts;
}, []);
const SLOT_COUNT = FIRST_KEY.at(-1)! + LEVELS.at(-1)!.keys.length;
const slotOf = (level: number, key: string): number => FIRST_KEY[level]! + LEVELS[level]!.keys.indexOf(key);
const TOP_SLOT = Object.fromEntries(TOP.map((key) => [key, slotOf(0, key)])) as Record<string, number>;
const [MODEL_NAME, MODEL_VERSION, MODEL_ALIAS] = ['name', 'version', 'alias'].map((key) => slotOf(MODEL, key)) as [
  number,
  number,
  number,
];
const INPUT_FIRST = FIRST_KEY[INPUT]!;
const [PROBABILITY, DECISION, THRESHOLD] = ['probability', 'decision', 'threshold'].map((key) =>
  slotOf(OUTPUT, key),
) as [number, number, number];
const [TOTAL, QUEUE, INFERENCE] = ['total', 'queue', 'inference'].map((key) => slotOf(LATENCY, key)) as [
  number,
  number,
  number,
];
const APPLICANT_IS_NUMBER = APPLICANT_COLUMNS.map((c) => c.kind === 'number');
const APPLICANT_NAMES = APPLICANT_COLUMNS.map((c) => c.name);
const COLUMN_COUNT = FLAT_COLUMNS.length;
/** CANONICAL_TS as a byte template: "0" stands for any digit. */
const TIME_SHAPE = '0000-00-00T00:00:00.000Z';
const APPLICANT_START = BASE_COLUMNS.length;

interface Exports {
  memory: WasmMemory;
  scanLine(start: number, length: number, slots: number): number;
  KEYS: { value: number };
  SLOTS: { value: number };
  INPUT: { value: number };
  EXTRAS: { value: number };
}

const CONSTANTS = { ABSENT, NUMBER, TEXT, TRUE, NULL, OBJECT, RAW, RAW_LEVEL, MAX_EXTRAS, SAME, WIDE, KEPT, WAY_SHIFT };

/** The value of `n` ASCII digits at `at`. */
function digitsAt(bytes: Uint8Array, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) value = value * 10 + bytes[i]! - 48;
  return value;
}

/**
 * Buffer's own decoders, which toString calls after checking its arguments: called directly, a short text costs a
 * third less. Node has had both since its first releases; where they are missing the scanner does not load.
 */
interface DecodingBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

export class LineScanner {
  private readonly wasm: Exports;
  private readonly slotsAt: number;
  private readonly inputAt: number;
  private readonly extrasAt: number;
  /** The last day `time` read (YYYYMMDD) and its epoch ms. */
  private day = -1;
  private dayMs = 0;
  private heap!: Buffer;
  private f64!: Float64Array;
  private i32!: Int32Array;
  /**
   * The strings of the texts the scanner keeps, WAYS per slot: the string of a way is set only while the scanner's
   * copy in that way is its text (a text it keeps anew empties the way first), so a SAME text needs no decoding.
   */
  private readonly last: Array<string | undefined> = new Array(SLOT_COUNT * WAYS).fill(undefined);

  constructor() {
    this.wasm = instantiateWasm<Exports>(LINE_SCANNER_WASM, { agreed: CONSTANTS, name: 'line scanner' });
    this.slotsAt = this.wasm.SLOTS.value;
    this.inputAt = this.wasm.INPUT.value;
    this.extrasAt = this.wasm.EXTRAS.value;
    this.views();
    this.writeKeys(this.wasm.KEYS.value);
  }

  private views(): void {
    const buffer = this.wasm.memory.buffer;
    this.heap = Buffer.from(buffer);
    const heap = this.heap as Partial<DecodingBuffer>;
    if (typeof heap.latin1Slice !== 'function' || typeof heap.utf8Slice !== 'function') {
      throw new Error("this Node's Buffer has no latin1Slice or utf8Slice");
    }
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
  }

  /** The key table (layout in wasm/line-scanner.ts): levels, then one entry per key, then the names. */
  private writeKeys(at: number): void {
    const i32 = new Int32Array(this.wasm.memory.buffer, at, 16 + 4 * SLOT_COUNT);
    let names = 4096;
    LEVELS.forEach((level, l) => {
      i32[2 * l] = FIRST_KEY[l]!;
      i32[2 * l + 1] = level.keys.length;
      level.keys.forEach((key, k) => {
        const entry = 16 + 4 * (FIRST_KEY[l]! + k);
        const bytes = Buffer.from(key, 'latin1');
        this.heap.set(bytes, at + names);
        i32[entry] = names;
        i32[entry + 1] = bytes.length;
        i32[entry + 2] = level.holds?.[key] ?? -1;
        names += bytes.length + 8; // equalBytes reads up to 8 bytes past a name
      });
    });
  }

  /** Copies `bytes` (whole lines) into the scanner's memory; rowAt then reads lines by their offset in them. */
  load(bytes: Uint8Array): void {
    const need = this.inputAt + bytes.length + 8;
    const memory = this.wasm.memory;
    if (memory.buffer.byteLength < need) {
      memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
      this.views();
    }
    this.heap.set(bytes, this.inputAt);
  }

  /**
   * The row of the line at [start, start + length) of the loaded bytes: canonicalRow's row, `null` where
   * canonicalRow refuses the record, or `undefined` where the scanner does not take the line (read it as before).
   * The row is written into `into` when given (a caller that reads it at once and keeps none of it), else a new one.
   */
  rowAt(start: number, length: number, into?: FlatRow): FlatRow | null | undefined {
    let scanned: number;
    try {
      scanned = this.wasm.scanLine(start, length, SLOT_COUNT);
    } catch {
      scanned = -1; // a trap would be a bug of the scanner's: the line is still read, by JSON.parse
    }
    if (scanned !== 0) {
      // Its copies of the texts may have moved on while this side's strings did not.
      this.last.fill(undefined);
      return undefined;
    }
    const heap = this.heap;
    for (let s = 0, at = this.slotsAt + 16; s < SLOT_COUNT; s++, at += SLOT_BYTES) {
      const flags = heap[at + 1]!;
      if (heap[at] === TEXT && (flags & (SAME | KEPT)) === KEPT) this.last[s * WAYS + (flags >> WAY_SHIFT)] = undefined;
    }
    return this.row(into);
  }

  private type(slot: number): number {
    return this.heap[this.slotsAt + slot * SLOT_BYTES + 16]!;
  }

  private number(slot: number): number {
    return this.f64[(this.slotsAt + slot * SLOT_BYTES) / 8]!;
  }

  private text(slot: number): string {
    const flags = this.heap[this.slotsAt + slot * SLOT_BYTES + 17]!;
    const way = slot * WAYS + (flags >> WAY_SHIFT);
    if ((flags & KEPT) !== 0) {
      const cached = this.last[way];
      if (cached !== undefined) return cached;
    }
    const at = (this.slotsAt + slot * SLOT_BYTES) / 4;
    const start = this.inputAt + this.i32[at + 2]!;
    const end = start + this.i32[at + 3]!;
    const heap = this.heap as DecodingBuffer;
    const text = (flags & WIDE) !== 0 ? heap.utf8Slice(start, end) : heap.latin1Slice(start, end);
    if ((flags & KEPT) !== 0) this.last[way] = text;
    return text;
  }

  /** Whether a latency slot holds what canonicalRow takes: nothing, null or a number >= 0. */
  private latencyOrNull(slot: number): boolean {
    const type = this.type(slot);
    return type === ABSENT || type === NULL || (type === NUMBER && this.number(slot) >= 0);
  }

  /**
   * canonicalTime(text) for a TEXT slot, read from its bytes without making the string: the epoch ms of a
   * YYYY-MM-DDTHH:MM:SS.mmmZ time in range, else null. The day's ms is kept: a log file is days long.
   */
  private time(slot: number): number | null {
    const at = (this.slotsAt + slot * SLOT_BYTES) / 4;
    if (this.i32[at + 3] !== 24) return null;
    const heap = this.heap;
    const start = this.inputAt + this.i32[at + 2]!;
    for (let i = 0; i < 24; i++) {
      const c = heap[start + i]!;
      const expected = TIME_SHAPE.charCodeAt(i);
      if (expected === 48 ? c < 48 || c > 57 : c !== expected) return null;
    }
    const hour = digitsAt(heap, start + 11, 2);
    const minute = digitsAt(heap, start + 14, 2);
    const second = digitsAt(heap, start + 17, 2);
    if (hour > 23 || minute > 59 || second > 59) return null;
    const day = digitsAt(heap, start, 4) * 10000 + digitsAt(heap, start + 5, 2) * 100 + digitsAt(heap, start + 8, 2);
    if (day !== this.day) {
      const dayMs = canonicalTime((heap as DecodingBuffer).latin1Slice(start, start + 24));
      if (dayMs === null) return null;
      this.day = day;
      this.dayMs = dayMs - ((hour * 60 + minute) * 60 + second) * 1000 - digitsAt(heap, start + 20, 3);
    }
    return this.dayMs + ((hour * 60 + minute) * 60 + second) * 1000 + digitsAt(heap, start + 20, 3);
  }

  /** canonicalRow's `stringOrNull`: a text, the text of a number or boolean, or null. */
  private stringOrNull(slot: number): string | null {
    const type = this.type(slot);
    if (type === TEXT) return this.text(slot);
    if (type === ABSENT || type === NULL) return null;
    if (type === NUMBER) return String(this.number(slot));
    return type === TRUE ? 'true' : 'false';
  }

  /** A scalar slot's value as JSON.parse gives it (a text, number, true or false). */
  private scalar(slot: number): string | number | boolean {
    const type = this.type(slot);
    if (type === TEXT) return this.text(slot);
    if (type === NUMBER) return this.number(slot);
    return type === TRUE;
  }

  private numberOrNull(slot: number): number | null {
    return this.type(slot) === NUMBER ? this.number(slot) : null;
  }

  /** canonicalRow, read from the slots. */
  private row(into: FlatRow | undefined): FlatRow | null | undefined {
    const version = this.type(TOP_SLOT.format_version!);
    if (version !== ABSENT && (version !== NUMBER || this.number(TOP_SLOT.format_version!) !== 1)) return null;
    if (this.type(TOP_SLOT.request_id!) !== TEXT) return null;
    const requestId = this.text(TOP_SLOT.request_id!);
    if (!REQUEST_ID_PATTERN.test(requestId)) return null;
    if (this.type(TOP_SLOT.ts!) !== TEXT) return null;
    const ms = this.time(TOP_SLOT.ts!);
    if (ms === null) return null;
    if (this.type(TOP_SLOT.status!) !== TEXT) return null;
    const status = this.text(TOP_SLOT.status!);
    if (status !== 'ok' && status !== 'invalid' && status !== 'rejected' && status !== 'error') return null;
    if (this.type(TOP_SLOT.http_status!) !== NUMBER) return null;
    const httpStatus = this.number(TOP_SLOT.http_status!);
    if (!Number.isInteger(httpStatus) || httpStatus < 100 || httpStatus > 599) return null;
    if (this.type(TOP_SLOT.replica!) !== TEXT || this.type(TOP_SLOT.route!) !== TEXT) return null;

    const row: FlatRow = into ?? new Array(COLUMN_COUNT);
    row[0] = ms;
    row[1] = requestId;
    row[2] = this.text(TOP_SLOT.replica!);
    row[3] = this.text(TOP_SLOT.route!);
    row[4] = httpStatus;
    row[5] = status;

    const model = this.type(TOP_SLOT.model!);
    if (model === ABSENT || model === NULL) {
      row[6] = row[7] = row[8] = null;
    } else {
      if (model !== OBJECT) return null;
      row[6] = this.stringOrNull(MODEL_NAME);
      row[7] = this.stringOrNull(MODEL_VERSION);
      row[8] = this.stringOrNull(MODEL_ALIAS);
    }
    row[9] = this.stringOrNull(TOP_SLOT.served_by!);
    row[10] = this.type(TOP_SLOT.degraded!) === TRUE ? 1 : 0;
    row[11] = this.type(TOP_SLOT.cache_hit!) === TRUE ? 1 : 0;

    const output = this.type(TOP_SLOT.output!);
    if (output === ABSENT || output === NULL) {
      row[12] = row[13] = row[14] = null;
    } else {
      if (output !== OBJECT || this.type(PROBABILITY) !== NUMBER) return null;
      const probability = this.number(PROBABILITY);
      if (probability < 0 || probability > 1) return null;
      row[12] = probability;
      row[13] = this.stringOrNull(DECISION);
      row[14] = this.numberOrNull(THRESHOLD);
    }

    const latency = this.type(TOP_SLOT.latency_ms!);
    if (latency === ABSENT || latency === NULL) {
      row[15] = row[16] = row[17] = null;
    } else {
      if (latency !== OBJECT) return null;
      if (!this.latencyOrNull(TOTAL) || !this.latencyOrNull(QUEUE) || !this.latencyOrNull(INFERENCE)) return null;
      row[15] = this.numberOrNull(TOTAL);
      row[16] = this.numberOrNull(QUEUE);
      row[17] = this.numberOrNull(INFERENCE);
    }

    const error = this.type(TOP_SLOT.error!);
    if (error === ABSENT || error === NULL) {
      row[18] = row[19] = null;
    } else {
      // canonicalRow keeps an error object's code and its JSON; anything but an object it refuses.
      if (error !== RAW) return null;
      const parsed = this.parseRaw(TOP_SLOT.error!);
      if (parsed === undefined) return undefined;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
      const code = (parsed as Record<string, unknown>).code;
      row[18] = typeof code === 'string' ? code : code === undefined || code === null ? null : String(code);
      row[19] = JSON.stringify(parsed);
    }
    row[20] = this.type(TOP_SLOT.applicant_ref!) === TEXT ? this.text(TOP_SLOT.applicant_ref!) : null;
    row[21] = this.type(TOP_SLOT.client!) === TEXT ? this.text(TOP_SLOT.client!) : null;

    for (let i = APPLICANT_START; i < COLUMN_COUNT; i++) row[i] = null;
    const input = this.type(TOP_SLOT.input!);
    if (input !== ABSENT && input !== NULL) {
      if (input !== OBJECT) return null;
      let misfit = -1;
      for (let k = 0; k < APPLICANT_IS_NUMBER.length; k++) {
        const slot = INPUT_FIRST + k;
        const type = this.type(slot);
        if (type === ABSENT || type === NULL) continue;
        if (APPLICANT_IS_NUMBER[k] ? type !== NUMBER : type !== TEXT) {
          // flattenRecord keeps a value of the other type in input_extra, in the line's key order, which the slots
          // do not tell: one such value is read here, more as text.
          if (misfit >= 0) return undefined;
          misfit = k;
        } else {
          row[APPLICANT_START + k] = type === NUMBER ? this.number(slot) : this.text(slot);
        }
      }
      if (misfit >= 0)
        row[COLUMN_COUNT - 2] = JSON.stringify({ [APPLICANT_NAMES[misfit]!]: this.scalar(INPUT_FIRST + misfit) });
    }
    const extras = this.i32[this.extrasAt / 4]!;
    if (extras > 0) {
      const extra = this.extra(extras);
      if (extra === undefined) return undefined;
      row[COLUMN_COUNT - 1] = extra;
    }
    return row;
  }

  /** The value of a RAW slot (an object or array the scanner only delimited), or undefined where it is not JSON. */
  private parseRaw(slot: number): unknown {
    const at = (this.slotsAt + slot * SLOT_BYTES) / 4;
    const start = this.inputAt + this.i32[at + 2]!;
    try {
      return JSON.parse((this.heap as DecodingBuffer).utf8Slice(start, start + this.i32[at + 3]!)) as unknown;
    } catch {
      return undefined;
    }
  }

  /**
   * The `extra` column of a record with keys the contract does not name, as flattenRecord writes it after
   * parseLogLine: those keys in their order, with their parsed values (a repeated key keeps its first place and its
   * last value, as in JSON.parse). Undefined (read the line as text) for a value that is not JSON, "__proto__", or a
   * key that may be an array index (an object lists those first).
   */
  private extra(count: number): string | undefined {
    const heap = this.heap as DecodingBuffer;
    const i32 = this.i32;
    const object: Record<string, unknown> = {};
    for (let e = 0, at = this.extrasAt / 4 + 1; e < count; e++, at += 4) {
      const nameStart = this.inputAt + i32[at]!;
      const key = heap.latin1Slice(nameStart, nameStart + i32[at + 1]!);
      const first = key.charCodeAt(0);
      if (key === '__proto__' || (first >= 48 && first <= 57)) return undefined;
      const valueStart = this.inputAt + i32[at + 2]!;
      try {
        object[key] = JSON.parse(heap.utf8Slice(valueStart, valueStart + i32[at + 3]!)) as unknown;
      } catch {
        return undefined;
      }
    }
    return JSON.stringify(object);
  }
}

let shared: LineScanner | null | undefined;

/** This thread's scanner, or null where WebAssembly cannot run it (then every line is read with JSON.parse). */
export function lineScanner(): LineScanner | null {
  if (shared === undefined) {
    try {
      shared = new LineScanner();
    } catch {
      shared = null;
    }
  }
  return shared;
}
