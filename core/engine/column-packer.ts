/**
 * Packs applicants straight into one typed array per graph input: float32 with NaN for a missing number, uint16 codes
 * for categories (the worker maps them back to strings). No per-row objects; the arrays are transferred, not copied.
 */
import type { Applicant, InputSchema } from '../contract/index.ts';
import { EngineLoadError } from './errors.ts';
import type { PackedBatch } from './worker-pool.ts';
import type { GraphValue, InputLayout } from './worker-protocol.ts';

export interface ColumnPacker {
  readonly layout: InputLayout[];
  pack(applicants: readonly Applicant[], start?: number, end?: number): PackedBatch;
}

/** Matches the graph's declared inputs to schema fields; a mismatch is a load error naming the graph input. */
export function createColumnPacker(schema: InputSchema, graphInputs: GraphValue[], modelFile: string): ColumnPacker {
  const layout: InputLayout[] = graphInputs.map((input) => {
    const field = schema.fieldsByName.get(input.name);
    if (!field) throw new EngineLoadError(modelFile, `graph input "${input.name}" is not a field of the input schema`);
    if (field.kind === 'category') {
      if (input.type !== 'string') {
        throw new EngineLoadError(
          modelFile,
          `graph input "${input.name}" is ${input.type} but the schema field is a category (string)`,
        );
      }
      if (field.categories!.length >= 0xffff)
        throw new EngineLoadError(modelFile, `${input.name} has too many categories`);
      return { name: input.name, kind: 'category', categories: [...field.categories!] };
    }
    if (input.type !== 'float32') {
      throw new EngineLoadError(
        modelFile,
        `graph input "${input.name}" is ${input.type} but numbers are fed as float32`,
      );
    }
    return { name: input.name, kind: 'float' };
  });
  const codes = layout.map((input) => new Map((input.categories ?? []).map((category, i) => [category, i + 1])));
  const names = layout.map((input) => input.name);

  function pack(applicants: readonly Applicant[], start = 0, end = applicants.length): PackedBatch {
    const rows = end - start;
    const columns: Array<Float32Array | Uint16Array> = new Array(layout.length);
    for (let c = 0; c < layout.length; c += 1) {
      const name = names[c]!;
      if (layout[c]!.kind === 'float') {
        const column = new Float32Array(rows);
        for (let i = 0; i < rows; i += 1) {
          const value = applicants[start + i]![name];
          column[i] = typeof value === 'number' ? value : NaN;
        }
        columns[c] = column;
      } else {
        const column = new Uint16Array(rows);
        const table = codes[c]!;
        for (let i = 0; i < rows; i += 1) {
          const value = applicants[start + i]![name];
          column[i] = typeof value === 'string' ? (table.get(value) ?? 0) : 0;
        }
        columns[c] = column;
      }
    }
    return { rows, columns };
  }

  return { layout, pack };
}
