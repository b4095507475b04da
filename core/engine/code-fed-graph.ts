/**
 * Derives, from a model whose category inputs are string tensors, the same graph fed with category codes: each string
 * input X becomes a uint16 input `X.vigie_code`, and two nodes in front of the untouched original graph turn the codes
 * back into exactly the strings the worker would otherwise build (Cast to int32, then Gather from the category table
 * whose entry 0 is the missing value ""). Every feature is still computed by the package's own graph from those
 * strings; what changes is that 37 k strings per 4096 rows no longer cross from JavaScript into onnxruntime one by one
 * (docs/decisions/1605-category-codes-into-the-graph.md). A LabelEncoder that is the only reader of such a string reads
 * the code instead, through a table of its answers (label-encoder-fold.ts, decision 1613). Anything unexpected throws,
 * and the caller keeps the string-fed session.
 */
import { foldableEncoders } from './label-encoder-fold.ts';
import { bytesField, concat, readFields, stringField, varintField, type WireField } from './protobuf-wire.ts';

export interface CategoryTable {
  /** Name of the graph's string input. */
  name: string;
  /** String of each code: entry 0 is the missing value "". */
  table: readonly string[];
}

export class CodeFeedError extends Error {}

export const CODE_SUFFIX = '.vigie_code';
const UINT16 = 4;
const INT32 = 6;
const STRING = 8;
const ATTRIBUTE_INT = 2;
/** Cast takes `to` as an integer from opset 6 on (a string before). */
const MIN_OPSET = 6;
/** Initializers that are not graph inputs need IR version 4. */
const MIN_IR_VERSION = 4n;

export function only(fields: readonly WireField[], field: number, what: string): WireField {
  const found = fields.filter((f) => f.field === field);
  if (found.length !== 1 || found[0]!.payload === null) throw new CodeFeedError(`expected exactly one ${what}`);
  return found[0]!;
}

export function defaultOpset(model: readonly WireField[]): number {
  for (const entry of model.filter((f) => f.field === 8 && f.payload)) {
    const fields = readFields(entry.payload!);
    if ((stringField(fields, 1) ?? '') === '') return Number(fields.find((f) => f.field === 2)?.varint ?? 0n);
  }
  return 0;
}

/** The input's tensor shape field (TypeProto.Tensor field 2), raw, or null when it declares none. */
function shapeOf(valueInfo: readonly WireField[]): Uint8Array | null {
  const type = only(valueInfo, 2, 'type in a graph input');
  const tensor = only(readFields(type.payload!), 1, 'tensor type in a string input');
  return readFields(tensor.payload!).find((f) => f.field === 2)?.raw ?? null;
}

function codeInput(name: string, shape: Uint8Array | null): Uint8Array {
  const tensor = concat([varintField(1, UINT16), ...(shape ? [shape] : [])]);
  return bytesField(11, concat([bytesField(1, name + CODE_SUFFIX), bytesField(2, bytesField(1, tensor))]));
}

function node(op: string, inputs: string[], output: string, attributes: Uint8Array[] = []): Uint8Array {
  return bytesField(
    1,
    concat([
      ...inputs.map((input) => bytesField(1, input)),
      bytesField(2, output),
      bytesField(3, `vigie_${op.toLowerCase()}_${output}`),
      bytesField(4, op),
      ...attributes.map((attribute) => bytesField(5, attribute)),
    ]),
  );
}

function stringTable(name: string, table: readonly string[]): Uint8Array {
  return bytesField(
    5,
    concat([
      varintField(1, table.length),
      varintField(2, STRING),
      ...table.map((entry) => bytesField(6, entry)),
      bytesField(8, name),
    ]),
  );
}

export function codeFedGraph(model: Uint8Array, categories: readonly CategoryTable[]): Uint8Array {
  if (categories.length === 0) throw new CodeFeedError('the graph has no string input');
  // The derived names must not clash with the model's own.
  if (Buffer.from(model.buffer, model.byteOffset, model.byteLength).includes('.vigie_'))
    throw new CodeFeedError('the graph already uses .vigie_ names');
  const top = readFields(model);
  const ir = top.find((f) => f.field === 1)?.varint ?? 0n;
  if (ir < MIN_IR_VERSION) throw new CodeFeedError(`IR version ${ir} is older than ${MIN_IR_VERSION}`);
  const opset = defaultOpset(top);
  if (opset < MIN_OPSET) throw new CodeFeedError(`default opset ${opset} is older than ${MIN_OPSET}`);
  const graph = only(top, 7, 'graph');
  const wanted = new Map(categories.map((category) => [category.name, category]));
  const replaced = new Set<string>();
  const prologue: Uint8Array[] = [];
  const tables: Uint8Array[] = [];
  const graphFields = readFields(graph.payload!);
  // A LabelEncoder reading only the code's string reads the code itself (label-encoder-fold.ts).
  const folded = foldableEncoders(graphFields, new Map(categories.map((category) => [category.name, category.table])));
  const foldedNodes = new Set([...folded.values()].flat().map((encoder) => encoder.node));
  const body = graphFields.flatMap((field) => {
    if (field.field === 1 && foldedNodes.has(field.raw)) return [];
    if (field.field !== 11) return [field.raw];
    const valueInfo = readFields(field.payload!);
    const name = stringField(valueInfo, 1) ?? '';
    const category = wanted.get(name);
    if (!category) return field.raw;
    if (category.table.length === 0 || category.table.length > 0xffff)
      throw new CodeFeedError(`${name} has ${category.table.length} codes`);
    replaced.add(name);
    const code = name + CODE_SUFFIX;
    const table = `${name}.vigie_table`;
    prologue.push(
      node('Cast', [code], `${code}_int32`, [
        concat([bytesField(1, 'to'), varintField(3, INT32), varintField(20, ATTRIBUTE_INT)]),
      ]),
    );
    const encoders = folded.get(name);
    if (encoders) {
      encoders.forEach((encoder, i) => {
        prologue.push(node('Gather', [`${name}.vigie_encoded_${i}`, `${code}_int32`], encoder.output));
        tables.push(encoder.table);
      });
    } else {
      prologue.push(node('Gather', [table, `${code}_int32`], name));
      tables.push(stringTable(table, category.table));
    }
    return [codeInput(name, shapeOf(valueInfo))];
  });
  const missing = categories.filter((category) => !replaced.has(category.name)).map((category) => category.name);
  if (missing.length > 0) throw new CodeFeedError(`no string graph input named ${missing.join(', ')}`);
  const newGraph = bytesField(7, concat([...prologue, ...body, ...tables]));
  return concat(top.map((field) => (field === graph ? newGraph : field.raw)));
}
