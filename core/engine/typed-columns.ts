/**
 * Typed columns as the CSV and store readers produce them (a Float64Array per number field, NaN = missing; dictionary
 * codes per category field, -1 = missing), checked against the input schema as `schema.validate` checks an applicant,
 * then packed straight into the two matrices the packed graph takes (column-packer.ts has the same layout): one typed
 * copy per value, no per-row objects. A row the schema would refuse is refused here, with the schema's own message.
 */
import type { Applicant, FieldSpec, InputSchema, ValidationIssue } from '../contract/index.ts';
import type { PackedBatch } from './worker-pool.ts';
import type { InputLayout } from './worker-protocol.ts';

export interface CategoryCodes {
  /** Index into `labels` per row, -1 when missing. */
  codes: Int32Array;
  labels: readonly string[];
}

export interface ScoringColumns {
  rows: number;
  numbers: ReadonlyMap<string, Float64Array>;
  categories: ReadonlyMap<string, CategoryCodes>;
}

/** Columns the schema refuses: names the field and, for a value, its row and the schema's message. */
export class ColumnsError extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    message: string,
    readonly row: number | null = null,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
    this.name = 'ColumnsError';
  }
}

/** Checked columns: every schema field has a column (absent optional ones read as missing) and every row is valid. */
export interface CheckedColumns {
  readonly rows: number;
  /** The applicant of one row, built only where an object is needed (the conservative rule, error messages). */
  applicant(row: number): Applicant;
  number(name: string): Float64Array | undefined;
  /** Per row, the index into the field's schema categories, -1 when missing. */
  category(name: string): Int32Array | undefined;
}

function quickNumberOk(field: FieldSpec, value: number): boolean {
  if (value !== value) return field.nullable;
  if (!Number.isFinite(value)) return false;
  if (field.kind === 'integer' && !Number.isInteger(value)) return false;
  if (field.alsoAllowed?.includes(value)) return true;
  if (field.minimum !== undefined && value < field.minimum) return false;
  if (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum) return false;
  if (field.maximum !== undefined && value > field.maximum) return false;
  if (field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum) return false;
  return true;
}

export function checkColumns(schema: InputSchema, columns: ScoringColumns): CheckedColumns {
  const rows = columns.rows;
  if (!Number.isInteger(rows) || rows < 0) throw new ColumnsError(`rows must be a whole number ≥ 0, got ${rows}`);
  for (const [name, kind] of [
    ...[...columns.numbers.keys()].map((name) => [name, 'number'] as const),
    ...[...columns.categories.keys()].map((name) => [name, 'category'] as const),
  ]) {
    const field = schema.fieldsByName.get(name);
    if (!field) throw new ColumnsError(`unknown field "${name.slice(0, 64)}" (not in the input schema)`);
    if ((field.kind === 'category') !== (kind === 'category')) {
      throw new ColumnsError(`${name} is a ${field.kind} field but was given as a ${kind} column`);
    }
  }
  const numbers = new Map<string, Float64Array>();
  const categories = new Map<string, Int32Array>();
  for (const field of schema.fields) {
    if (field.kind !== 'category') {
      const values = columns.numbers.get(field.name);
      if (!values) continue;
      if (values.length !== rows) {
        throw new ColumnsError(`the column ${field.name} has ${values.length} values for ${rows} rows`);
      }
      numbers.set(field.name, values);
      continue;
    }
    const column = columns.categories.get(field.name);
    if (!column) continue;
    if (column.codes.length !== rows) {
      throw new ColumnsError(`the column ${field.name} has ${column.codes.length} codes for ${rows} rows`);
    }
    // Dictionary index → schema index (-2 for a label the schema does not allow, refused only where a row uses it).
    const mapping = column.labels.map((label) => {
      const index = field.categories!.indexOf(label);
      return index >= 0 ? index : -2;
    });
    const codes = new Int32Array(rows);
    for (let i = 0; i < rows; i += 1) {
      const code = column.codes[i]!;
      codes[i] = code === -1 ? -1 : code >= 0 && code < mapping.length ? mapping[code]! : -3;
    }
    categories.set(field.name, codes);
  }
  const applicant = (row: number): Applicant => {
    const value: Applicant = {};
    for (const field of schema.fields) {
      if (field.kind === 'category') {
        const codes = categories.get(field.name);
        const source = columns.categories.get(field.name);
        if (!codes || codes[row] === -1) value[field.name] = null;
        else value[field.name] = source!.labels[source!.codes[row]!] ?? null;
      } else {
        const values = numbers.get(field.name);
        const number = values ? values[row]! : NaN;
        value[field.name] = number !== number ? null : number;
      }
    }
    return value;
  };
  // A quick check flagged the row: the schema's own validation of its applicant decides, and words the refusal.
  const refuse = (row: number): void => {
    const result = schema.validate(applicant(row));
    if (result.ok) return;
    const message = result.issues.map((issue) => issue.message).join('; ');
    throw new ColumnsError(`row ${row}: ${message}`, row, result.issues);
  };
  for (const field of schema.fields) {
    if (field.kind === 'category') {
      const codes = categories.get(field.name);
      if (!codes) {
        if (field.required) throw new ColumnsError(`${field.name} is required but has no column`);
        continue;
      }
      for (let i = 0; i < rows; i += 1) {
        const code = codes[i]!;
        if (code === -3) {
          const given = columns.categories.get(field.name)!;
          throw new ColumnsError(
            `row ${i}: ${field.name} has the code ${given.codes[i]}, outside its dictionary of ${given.labels.length} labels`,
            i,
          );
        }
        if (code === -2 || (code === -1 && !field.nullable)) refuse(i);
      }
      continue;
    }
    const values = numbers.get(field.name);
    if (!values) {
      if (field.required) throw new ColumnsError(`${field.name} is required but has no column`);
      continue;
    }
    for (let i = 0; i < rows; i += 1) {
      if (!quickNumberOk(field, values[i]!)) refuse(i);
    }
  }
  return {
    rows,
    applicant,
    number: (name) => numbers.get(name),
    category: (name) => categories.get(name),
  };
}

/** Packs rows [start, end) of checked columns in the layout of one model's graph inputs. */
export function packColumns(
  layout: readonly InputLayout[],
  columns: CheckedColumns,
  start: number,
  end: number,
): PackedBatch {
  const rows = end - start;
  let floatCount = 0;
  let categoryCount = 0;
  for (const input of layout)
    if (input.kind === 'float') floatCount += 1;
    else categoryCount += 1;
  const buffer = new ArrayBuffer(rows * (floatCount * 4 + categoryCount * 2));
  const floats = new Float32Array(buffer, 0, rows * floatCount);
  const codes = new Uint16Array(buffer, rows * floatCount * 4, rows * categoryCount);
  for (const input of layout) {
    if (input.kind === 'float') {
      const values = columns.number(input.name);
      if (!values) {
        for (let i = 0, j = input.column; i < rows; i += 1, j += floatCount) floats[j] = NaN;
        continue;
      }
      for (let i = 0, j = input.column; i < rows; i += 1, j += floatCount) floats[j] = values[start + i]!;
      continue;
    }
    const indexes = columns.category(input.name);
    // Code 0 is missing (left as is), code k + 1 the k-th schema category, as the object packer writes them.
    if (indexes) {
      for (let i = 0, j = input.column; i < rows; i += 1, j += categoryCount) codes[j] = indexes[start + i]! + 1;
    }
  }
  return { rows, buffer };
}
