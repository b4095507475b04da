/**
 * Folds a LabelEncoder that reads a code-fed category input into the code-fed prologue (code-fed-graph.ts). The
 * prologue turns a code back into its string (Gather from the category table), and the package's LabelEncoder then
 * hashes that string to a number. Both are decided by the code alone, so the encoder's answer for every code is known
 * when the graph is derived: one Gather from that table of answers gives exactly the encoder's output (the same
 * float32 or int64 bits), without building and hashing one string per row and per category (2 048 rows: 3.3 → 2.8 ms
 * a run on this machine, docs/decisions/1613-engine-off-the-caller-thread.md).
 * Only the plain form is folded (string keys, float or int64 values, no tensor attributes, no duplicate key), and only
 * when the input feeds nothing else: anything else keeps the string Gather, which is always right.
 */
import { bytesField, concat, readFields, stringField, varintField, type WireField } from './protobuf-wire.ts';

const FLOAT = 1;
const INT64 = 7;
const ML_DOMAIN = 'ai.onnx.ml';

/** One encoder folded into a table: Gather(`table`, codes) gives `output`. */
export interface FoldedEncoder {
  output: string;
  /** TensorProto of the answers, one per code. */
  table: Uint8Array;
  /** The encoder's NodeProto field, as it was encoded: the derived graph leaves it out. */
  node: Uint8Array;
}

interface Attribute {
  name: string;
  fields: WireField[];
}

function attributesOf(node: readonly WireField[]): Attribute[] {
  return node
    .filter((f) => f.field === 5 && f.payload)
    .map((f) => {
      const fields = readFields(f.payload!);
      return { name: stringField(fields, 1) ?? '', fields };
    });
}

/** Repeated float32 values of an attribute (field 7), packed or not, as their raw little-endian bytes. */
function floatBytes(fields: readonly WireField[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of fields.filter((field) => field.field === 7)) {
    if (f.wireType === 5) out.push(f.raw.subarray(f.raw.length - 4));
    else if (f.payload) for (let i = 0; i + 4 <= f.payload.length; i += 4) out.push(f.payload.subarray(i, i + 4));
  }
  return out;
}

/** Repeated int64 values of an attribute (field 8), packed or not. */
function int64s(fields: readonly WireField[]): bigint[] {
  const out: bigint[] = [];
  for (const f of fields.filter((field) => field.field === 8)) {
    if (f.varint !== null) out.push(BigInt.asIntN(64, f.varint));
    else if (f.payload) {
      let value = 0n;
      let shift = 0n;
      for (const byte of f.payload) {
        value |= BigInt(byte & 0x7f) << shift;
        shift += 7n;
        if ((byte & 0x80) === 0) {
          out.push(BigInt.asIntN(64, value));
          value = 0n;
          shift = 0n;
        }
      }
    }
  }
  return out;
}

function float32Bytes(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value, true);
  return bytes;
}

function int64Bytes(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, value, true);
  return bytes;
}

/** A 1-D initializer of `elemType` with `values` as raw little-endian bytes. */
function tensor(name: string, elemType: number, values: readonly Uint8Array[]): Uint8Array {
  return bytesField(
    5,
    concat([
      varintField(1, values.length),
      varintField(2, elemType),
      bytesField(8, name),
      bytesField(9, concat(values)),
    ]),
  );
}

/** The answers of one LabelEncoder node for each string of `table`, or null when it is not the plain form. */
function encoderTable(node: readonly WireField[], table: readonly string[], name: string): Uint8Array | null {
  const attributes = new Map<string, WireField[]>();
  for (const attribute of attributesOf(node)) attributes.set(attribute.name, attribute.fields);
  const known = new Set(['keys_strings', 'values_floats', 'values_int64s', 'default_float', 'default_int64']);
  if ([...attributes.keys()].some((key) => !known.has(key))) return null;
  const keysField = attributes.get('keys_strings');
  if (!keysField) return null;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let keys: string[];
  try {
    keys = keysField.filter((f) => f.field === 9 && f.payload).map((f) => decoder.decode(f.payload!));
  } catch {
    return null;
  }
  if (new Set(keys).size !== keys.length) return null;
  const floats = attributes.get('values_floats');
  const ints = attributes.get('values_int64s');
  if ((floats === undefined) === (ints === undefined)) return null;
  let answers: Uint8Array[];
  let elemType: number;
  if (floats) {
    const values = floatBytes(floats);
    if (values.length !== keys.length || attributes.has('default_int64')) return null;
    // The ONNX default of default_float is -0.0.
    const fallback = attributes.get('default_float')?.find((f) => f.field === 2 && f.wireType === 5);
    const byDefault = fallback ? fallback.raw.subarray(fallback.raw.length - 4) : float32Bytes(-0);
    answers = table.map((entry) => values[keys.indexOf(entry)] ?? byDefault);
    elemType = FLOAT;
  } else {
    const values = int64s(ints!);
    if (values.length !== keys.length || attributes.has('default_float')) return null;
    const fallback = attributes.get('default_int64')?.find((f) => f.field === 3 && f.varint !== null);
    const byDefault = fallback ? BigInt.asIntN(64, fallback.varint!) : -1n;
    answers = table.map((entry) => int64Bytes(keys.includes(entry) ? values[keys.indexOf(entry)]! : byDefault));
    elemType = INT64;
  }
  return tensor(name, elemType, answers);
}

/** Every name a node reads, in this graph and in the graphs of its attributes (Loop, If, Scan bodies). */
function namesRead(graph: readonly WireField[], into: Map<string, number>): void {
  for (const f of graph.filter((field) => field.field === 1 && field.payload)) {
    const node = readFields(f.payload!);
    for (const input of node.filter((field) => field.field === 1 && field.payload)) {
      const name = new TextDecoder().decode(input.payload!);
      into.set(name, (into.get(name) ?? 0) + 1);
    }
    for (const attribute of attributesOf(node)) {
      for (const sub of attribute.fields.filter((field) => (field.field === 6 || field.field === 11) && field.payload))
        namesRead(readFields(sub.payload!), into);
    }
  }
}

/**
 * For each category input (`tables`: its strings by code), the LabelEncoders of `graph` that can read its code
 * instead; a category with none, or one that also feeds anything else, is left out.
 */
export function foldableEncoders(
  graph: readonly WireField[],
  tables: ReadonlyMap<string, readonly string[]>,
): Map<string, FoldedEncoder[]> {
  const reads = new Map<string, number>();
  namesRead(graph, reads);
  const outputs = new Set(
    graph.filter((f) => f.field === 12 && f.payload).map((f) => stringField(readFields(f.payload!), 1) ?? ''),
  );
  const found = new Map<string, FoldedEncoder[]>();
  for (const f of graph.filter((field) => field.field === 1 && field.payload)) {
    const node = readFields(f.payload!);
    if (stringField(node, 4) !== 'LabelEncoder' || stringField(node, 7) !== ML_DOMAIN) continue;
    const inputs = node.filter((field) => field.field === 1 && field.payload);
    const nodeOutputs = node.filter((field) => field.field === 2 && field.payload);
    if (inputs.length !== 1 || nodeOutputs.length !== 1) continue;
    const input = new TextDecoder().decode(inputs[0]!.payload!);
    const table = tables.get(input);
    if (!table) continue;
    const output = new TextDecoder().decode(nodeOutputs[0]!.payload!);
    const answers = encoderTable(node, table, `${input}.vigie_encoded_${found.get(input)?.length ?? 0}`);
    if (!answers) continue;
    found.set(input, [...(found.get(input) ?? []), { output, table: answers, node: f.raw }]);
  }
  for (const [input, encoders] of found) {
    if (outputs.has(input) || reads.get(input) !== encoders.length) found.delete(input);
  }
  return found;
}
