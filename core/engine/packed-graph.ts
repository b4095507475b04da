/**
 * Derives, from a package's graph, the same graph fed with two packed tensors instead of one [N,1] tensor per input:
 * `vigie.floats` [N, number inputs] float32 and `vigie.codes` [N, category inputs] uint16, row by row, as the column
 * packer writes them. A Split node in front gives each number input back under its own name; the category codes go
 * through the code-fed prologue (code-fed-graph.ts: Cast and Gather back to exactly the package's strings). Every
 * feature is still computed by the package's own nodes. What changes is the cost of crossing into onnxruntime:
 * 27 feeds per run cost about 30 µs from Node whatever the rows (a one-row run went from 59–62 µs to 27–30 µs and a
 * 4096-row run from 10.6 to 7.0 ms, identical probabilities: docs/decisions/1608-packed-feeds-and-lone-rows.md).
 * Anything unexpected throws CodeFeedError, and the worker keeps the package's own graph.
 */
import { CODE_SUFFIX, CodeFeedError, codeFedGraph, defaultOpset, only, type CategoryTable } from './code-fed-graph.ts';
import { bytesField, concat, readFields, stringField, varintField } from './protobuf-wire.ts';

export const PACKED_FLOATS = 'vigie.floats';
export const PACKED_CODES = 'vigie.codes';
const FLOAT = 1;
const UINT16 = 4;
const ATTRIBUTE_INT = 2;
/** Split takes `num_outputs` when no split sizes are given from opset 18 on. */
const SPLIT_NUM_OUTPUTS_OPSET = 18;
const MIN_IR_VERSION = 4n;

function intAttribute(name: string, value: number): Uint8Array {
  return concat([bytesField(1, name), varintField(3, value), varintField(20, ATTRIBUTE_INT)]);
}

/** Split along axis 1 into one [N,1] output per name. */
function splitNode(input: string, outputs: readonly string[], opset: number): Uint8Array {
  const attributes = [intAttribute('axis', 1)];
  if (opset >= SPLIT_NUM_OUTPUTS_OPSET) attributes.push(intAttribute('num_outputs', outputs.length));
  return bytesField(
    1,
    concat([
      bytesField(1, input),
      ...outputs.map((output) => bytesField(2, output)),
      bytesField(3, `vigie_split_${input}`),
      bytesField(4, 'Split'),
      ...attributes.map((attribute) => bytesField(5, attribute)),
    ]),
  );
}

/** A graph input of `elemType` shaped [N, columns]. */
function packedInput(name: string, elemType: number, columns: number): Uint8Array {
  const shape = concat([bytesField(1, bytesField(2, 'N')), bytesField(1, varintField(1, columns))]);
  const tensor = concat([varintField(1, elemType), bytesField(2, shape)]);
  return bytesField(11, concat([bytesField(1, name), bytesField(2, bytesField(1, tensor))]));
}

/**
 * `floats`: the number inputs in packed column order; `categories`: the string inputs in packed column order, each
 * with its table (code 0 is the missing value "").
 */
export function packedGraph(
  model: Uint8Array,
  floats: readonly string[],
  categories: readonly CategoryTable[],
): Uint8Array {
  if (Buffer.from(model.buffer, model.byteOffset, model.byteLength).includes('vigie.'))
    throw new CodeFeedError('the graph already uses vigie. names');
  const coded = categories.length > 0 ? codeFedGraph(model, categories) : model;
  const top = readFields(coded);
  const ir = top.find((f) => f.field === 1)?.varint ?? 0n;
  if (ir < MIN_IR_VERSION) throw new CodeFeedError(`IR version ${ir} is older than ${MIN_IR_VERSION}`);
  const opset = defaultOpset(top);
  const codes = categories.map((category) => category.name + CODE_SUFFIX);
  const packed = new Set([...floats, ...codes]);
  const found = new Set<string>();
  const graph = only(top, 7, 'graph');
  const body = readFields(graph.payload!).flatMap((field) => {
    if (field.field !== 11) return [field.raw];
    const name = stringField(readFields(field.payload!), 1) ?? '';
    if (!packed.has(name)) return [field.raw];
    found.add(name);
    return [];
  });
  const missing = [...packed].filter((name) => !found.has(name));
  if (missing.length > 0) throw new CodeFeedError(`no graph input named ${missing.join(', ')}`);
  const prologue: Uint8Array[] = [];
  const inputs: Uint8Array[] = [];
  if (floats.length > 0) {
    inputs.push(packedInput(PACKED_FLOATS, FLOAT, floats.length));
    prologue.push(splitNode(PACKED_FLOATS, floats, opset));
  }
  if (codes.length > 0) {
    inputs.push(packedInput(PACKED_CODES, UINT16, codes.length));
    prologue.push(splitNode(PACKED_CODES, codes, opset));
  }
  const newGraph = bytesField(7, concat([...prologue, ...body, ...inputs]));
  return concat(top.map((field) => (field === graph ? newGraph : field.raw)));
}
