/**
 * The few pieces of the protobuf wire format that rewriting an ONNX model needs: split a message into its top-level
 * fields (kept as raw bytes, so whatever is not touched goes back out byte for byte) and write new fields.
 * Groups (wire types 3 and 4) are not used by ONNX and are refused.
 */

export interface WireField {
  field: number;
  wireType: number;
  /** Varint value (wire type 0), else null. */
  varint: bigint | null;
  /** Payload of a length-delimited field (wire type 2), else null. */
  payload: Uint8Array | null;
  /** The whole field as it was encoded: tag and value. */
  raw: Uint8Array;
}

export class WireFormatError extends Error {}

function readVarint(bytes: Uint8Array, offset: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (let i = offset; i < bytes.length && shift < 70n; i += 1) {
    const byte = bytes[i]!;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, i + 1];
    shift += 7n;
  }
  throw new WireFormatError(`truncated or overlong varint at byte ${offset}`);
}

/** Top-level fields of one encoded message, in order. */
export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const start = offset;
    const [tag, afterTag] = readVarint(bytes, offset);
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    let varint: bigint | null = null;
    let payload: Uint8Array | null = null;
    if (wireType === 0) [varint, offset] = readVarint(bytes, afterTag);
    else if (wireType === 1) offset = afterTag + 8;
    else if (wireType === 5) offset = afterTag + 4;
    else if (wireType === 2) {
      const [length, afterLength] = readVarint(bytes, afterTag);
      offset = afterLength + Number(length);
      if (offset > bytes.length) throw new WireFormatError(`field ${field} runs past the end of its message`);
      payload = bytes.subarray(afterLength, offset);
    } else throw new WireFormatError(`unsupported wire type ${wireType} in field ${field}`);
    if (offset > bytes.length || field === 0) throw new WireFormatError(`malformed field at byte ${start}`);
    fields.push({ field, wireType, varint, payload, raw: bytes.subarray(start, offset) });
  }
  return fields;
}

/** The UTF-8 text of the first length-delimited `field`, or null. */
export function stringField(fields: readonly WireField[], field: number): string | null {
  const found = fields.find((f) => f.field === field && f.payload !== null);
  return found ? new TextDecoder().decode(found.payload!) : null;
}

function varintBytes(value: bigint | number): number[] {
  let rest = BigInt(value);
  if (rest < 0n) rest &= (1n << 64n) - 1n;
  const out: number[] = [];
  do {
    const byte = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest === 0n ? byte : byte | 0x80);
  } while (rest !== 0n);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function varintField(field: number, value: bigint | number): Uint8Array {
  return Uint8Array.from([...varintBytes(field << 3), ...varintBytes(value)]);
}

export function bytesField(field: number, payload: Uint8Array | string): Uint8Array {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return concat([Uint8Array.from([...varintBytes((field << 3) | 2), ...varintBytes(bytes.length)]), bytes]);
}
