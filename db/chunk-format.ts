/**
 * The typed blobs of one record chunk (migration 0007, docs/store.md): a number column is `rows` float64 values,
 * little-endian, NaN for a missing value; a category column is a dictionary and one uint16 code per record:
 * [uint32 LE byte length of the dictionary][dictionary: JSON array of labels, UTF-8][0 or 1 pad byte]
 * [rows uint16 LE codes, 0xFFFF: missing]. Chunks are written once and never changed.
 */

export const MISSING_CODE = 0xffff;
/** Records per chunk at most: small enough that one chunk's blobs stay a few pages, large enough to read in bulk. */
export const CHUNK_ROWS = 2048;

export function encodeNumbers(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** Copies a number blob into `target` from index `offset`. */
export function copyNumbers(blob: Uint8Array, target: Float64Array, offset: number): void {
  new Uint8Array(target.buffer, target.byteOffset + offset * 8, blob.byteLength).set(blob);
}

export function decodeNumbers(blob: Uint8Array): Float64Array {
  const values = new Float64Array(blob.byteLength / 8);
  copyNumbers(blob, values, 0);
  return values;
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
