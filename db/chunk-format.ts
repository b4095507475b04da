/**
 * The typed blobs of one record chunk (migration 0007, docs/log-store.md). A number column is one of two layouts,
 * told apart by the blob's length (decision 1622):
 * - plain: `rows` float64 values, little-endian, NaN for a missing value (a length that is a multiple of 8);
 * - packed, when every value of the chunk is a decimal of few digits (integers, amounts in cents, epoch ms):
 *   [uint8 width: 1, 2 or 4][uint8 decimals d][uint8 pad: 0 or 1][zero byte][float64 LE base]
 *   [rows unsigned LE integers of `width` bytes][`pad` zero bytes, so that the length is never a multiple of 8].
 *   A value is (base + u) / 10^d; the width's largest integer stands for a missing value. The writer packs a column
 *   only when every value reads back exactly (Object.is), so both layouts read the same numbers.
 * A category column is a dictionary and one uint16 code per record:
 * [uint32 LE byte length of the dictionary][dictionary: JSON array of labels, UTF-8][0 or 1 pad byte]
 * [rows uint16 LE codes, 0xFFFF: missing]. Chunks are written once and never changed.
 */

export const MISSING_CODE = 0xffff;
/** Records per chunk at most: small enough that one chunk's blobs stay a few pages, large enough to read in bulk. */
export const CHUNK_ROWS = 2048;

const PACKED_HEADER = 12;
/** Decimals tried for a packed column, fewest first: 10^d stays exact in float64 and amounts keep their cents. */
const MAX_DECIMALS = 6;
const SCALES = Array.from({ length: MAX_DECIMALS + 1 }, (_, d) => 10 ** d);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The fewest decimals that give every finite value of `values` back exactly, or -1 (then the column stays plain). */
function packedDecimals(values: Float64Array): number {
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === values[i]) {
      first = i;
      break;
    }
  }
  if (first < 0) return 0;
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    const scale = SCALES[d]!;
    let exact = true;
    for (let i = first; i < values.length; i++) {
      const v = values[i]!;
      if (v !== v) continue;
      const q = Math.round(v * scale);
      if ((v === 0 && 1 / v < 0) || q / scale !== v || !Number.isSafeInteger(q)) {
        exact = false;
        break;
      }
    }
    if (exact) return d;
  }
  return -1;
}

/** A number column's blob: packed when its values allow it, else plain float64. */
export function encodeNumbers(values: Float64Array): Buffer {
  const decimals = packedDecimals(values);
  if (decimals < 0) return plainNumbers(values);
  const scale = SCALES[decimals]!;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    const q = Math.round(v * scale);
    if (q < min) min = q;
    if (q > max) max = q;
  }
  if (min === Infinity) min = max = 0;
  const range = max - min;
  const width = range < 0xff ? 1 : range < 0xffff ? 2 : range < 0xffffffff ? 4 : 0;
  if (width === 0) return plainNumbers(values);
  const rows = values.length;
  const pad = ((PACKED_HEADER + rows * width) & 7) === 0 ? 1 : 0;
  const length = PACKED_HEADER + rows * width + pad;
  if (length >= rows * 8) return plainNumbers(values);
  const blob = Buffer.alloc(length);
  blob[0] = width;
  blob[1] = decimals;
  blob[2] = pad;
  blob.writeDoubleLE(min, 4);
  const missing = width === 1 ? 0xff : width === 2 ? 0xffff : 0xffffffff;
  const codes =
    width === 1
      ? blob.subarray(PACKED_HEADER, PACKED_HEADER + rows)
      : LITTLE_ENDIAN && width === 2
        ? new Uint16Array(blob.buffer, blob.byteOffset + PACKED_HEADER, rows)
        : LITTLE_ENDIAN
          ? new Uint32Array(blob.buffer, blob.byteOffset + PACKED_HEADER, rows)
          : null;
  for (let i = 0; i < rows; i++) {
    const v = values[i]!;
    const u = v !== v ? missing : Math.round(v * scale) - min;
    if (codes) codes[i] = u;
    else if (width === 2) blob.writeUInt16LE(u, PACKED_HEADER + i * 2);
    else blob.writeUInt32LE(u, PACKED_HEADER + i * 4);
  }
  return blob;
}

function plainNumbers(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** Whether a number blob is packed (else it is plain float64). */
function isPacked(blob: Uint8Array): boolean {
  return (blob.byteLength & 7) !== 0;
}

/** How many values a number blob holds. */
export function numberCount(blob: Uint8Array): number {
  return isPacked(blob) ? (blob.byteLength - PACKED_HEADER - blob[2]!) / blob[0]! : blob.byteLength / 8;
}

/** Copies a number blob into `target` from index `offset`. */
export function copyNumbers(blob: Uint8Array, target: Float64Array, offset: number): void {
  if (!isPacked(blob)) {
    new Uint8Array(target.buffer, target.byteOffset + offset * 8, blob.byteLength).set(blob);
    return;
  }
  unpack(blob, target, offset, null, 0);
}

/**
 * Writes a number blob's values to their places: value i to `target[dest[base + i]]`, none where that is -1 (the
 * record is left out).
 */
export function scatterNumbers(blob: Uint8Array, target: Float64Array, dest: Int32Array, base: number): void {
  if (isPacked(blob)) {
    unpack(blob, target, 0, dest, base);
    return;
  }
  const values = numberView(blob);
  const rows = values.length;
  for (let i = 0; i < rows; i++) {
    const d = dest[base + i]!;
    if (d >= 0) target[d] = values[i]!;
  }
}

/** A packed blob's values into `target`: from `offset` in order, or through `dest` from `base` when it is given. */
function unpack(blob: Uint8Array, target: Float64Array, offset: number, dest: Int32Array | null, base: number): void {
  const width = blob[0]!;
  const scale = SCALES[blob[1]!]!;
  const zero = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getFloat64(4, true);
  const rows = (blob.byteLength - PACKED_HEADER - blob[2]!) / width;
  const bytes = blob.subarray(PACKED_HEADER, PACKED_HEADER + rows * width);
  if (width === 1) {
    unpackBytes(bytes, zero, scale, target, offset, dest, base);
    return;
  }
  // The codes as a typed view: in place when aligned, else copied to aligned memory (one copy of a few kB).
  const aligned = (bytes.byteOffset & (width - 1)) === 0 ? bytes : Uint8Array.from(bytes);
  if (width === 2) {
    const codes = LITTLE_ENDIAN
      ? new Uint16Array(aligned.buffer, aligned.byteOffset, rows)
      : Uint16Array.from({ length: rows }, (_, i) => bytes[2 * i]! | (bytes[2 * i + 1]! << 8));
    unpackShorts(codes, zero, scale, target, offset, dest, base);
  } else {
    const codes = LITTLE_ENDIAN
      ? new Uint32Array(aligned.buffer, aligned.byteOffset, rows)
      : Uint32Array.from({ length: rows }, (_, i) =>
          new DataView(bytes.buffer, bytes.byteOffset).getUint32(4 * i, true),
        );
    unpackWords(codes, zero, scale, target, offset, dest, base);
  }
}

// One loop per code width, so that each reads one kind of typed array (a loop over several kinds runs slower).
function unpackBytes(
  codes: Uint8Array,
  zero: number,
  scale: number,
  target: Float64Array,
  offset: number,
  dest: Int32Array | null,
  base: number,
): void {
  const rows = codes.length;
  if (dest === null) {
    for (let i = 0; i < rows; i++) {
      const u = codes[i]!;
      target[offset + i] = u === 0xff ? NaN : (zero + u) / scale;
    }
    return;
  }
  for (let i = 0; i < rows; i++) {
    const d = dest[base + i]!;
    if (d < 0) continue;
    const u = codes[i]!;
    target[d] = u === 0xff ? NaN : (zero + u) / scale;
  }
}

function unpackShorts(
  codes: Uint16Array,
  zero: number,
  scale: number,
  target: Float64Array,
  offset: number,
  dest: Int32Array | null,
  base: number,
): void {
  const rows = codes.length;
  if (dest === null) {
    for (let i = 0; i < rows; i++) {
      const u = codes[i]!;
      target[offset + i] = u === 0xffff ? NaN : (zero + u) / scale;
    }
    return;
  }
  for (let i = 0; i < rows; i++) {
    const d = dest[base + i]!;
    if (d < 0) continue;
    const u = codes[i]!;
    target[d] = u === 0xffff ? NaN : (zero + u) / scale;
  }
}

function unpackWords(
  codes: Uint32Array,
  zero: number,
  scale: number,
  target: Float64Array,
  offset: number,
  dest: Int32Array | null,
  base: number,
): void {
  const rows = codes.length;
  if (dest === null) {
    for (let i = 0; i < rows; i++) {
      const u = codes[i]!;
      target[offset + i] = u === 0xffffffff ? NaN : (zero + u) / scale;
    }
    return;
  }
  for (let i = 0; i < rows; i++) {
    const d = dest[base + i]!;
    if (d < 0) continue;
    const u = codes[i]!;
    target[d] = u === 0xffffffff ? NaN : (zero + u) / scale;
  }
}

export function decodeNumbers(blob: Uint8Array): Float64Array {
  const values = new Float64Array(numberCount(blob));
  copyNumbers(blob, values, 0);
  return values;
}

/** A number blob as float64 values: a view of it when it is plain and aligned, else a decoded copy. */
export function numberView(blob: Uint8Array): Float64Array {
  return !isPacked(blob) && (blob.byteOffset & 7) === 0
    ? new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength / 8)
    : decodeNumbers(blob);
}

/** Builds a category blob from labels (null: missing), one per record. */
export class CategoryEncoder {
  private readonly labels: string[] = [];
  private readonly index = new Map<string, number>();
  readonly codes: Uint16Array;

  constructor(rows: number) {
    this.codes = new Uint16Array(rows);
  }

  set(i: number, label: string | null): void {
    if (label === null) {
      this.codes[i] = MISSING_CODE;
      return;
    }
    let code = this.index.get(label);
    if (code === undefined) {
      code = this.labels.push(label) - 1;
      this.index.set(label, code);
    }
    this.codes[i] = code;
  }

  /** The blob of the first `rows` records. */
  encode(rows: number): Buffer {
    const dictionary = Buffer.from(JSON.stringify(this.labels), 'utf8');
    const start = 4 + dictionary.length + ((4 + dictionary.length) & 1);
    const blob = Buffer.alloc(start + rows * 2);
    blob.writeUInt32LE(dictionary.length, 0);
    dictionary.copy(blob, 4);
    blob.set(new Uint8Array(this.codes.buffer, this.codes.byteOffset, rows * 2), start);
    return blob;
  }
}

export interface DecodedCategories {
  labels: string[];
  codes: Uint16Array;
}

export function decodeCategories(blob: Uint8Array): DecodedCategories {
  const buffer = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const length = buffer.readUInt32LE(0);
  const labels = JSON.parse(buffer.toString('utf8', 4, 4 + length)) as string[];
  const start = 4 + length + ((4 + length) & 1);
  const codes = new Uint16Array((blob.byteLength - start) / 2);
  new Uint8Array(codes.buffer).set(blob.subarray(start));
  return { labels, codes };
}

/** Like decodeCategories, but the codes are a view of the blob when it is aligned for uint16 (no copy). */
export function categoryView(blob: Uint8Array): DecodedCategories {
  const length = blob[0]! | (blob[1]! << 8) | (blob[2]! << 16) | (blob[3]! << 24);
  const start = 4 + length + ((4 + length) & 1);
  if (((blob.byteOffset + start) & 1) !== 0) return decodeCategories(blob);
  const text = Buffer.from(blob.buffer, blob.byteOffset + 4, length).toString('utf8');
  return {
    labels: JSON.parse(text) as string[],
    codes: new Uint16Array(blob.buffer, blob.byteOffset + start, (blob.byteLength - start) / 2),
  };
}
