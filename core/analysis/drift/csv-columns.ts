/**
 * Streams a CSV file (header row, empty cell = missing) into typed columns without keeping the rows: numbers in
 * growing Float64Arrays (NaN when missing), categories as codes into a label list. Column kinds are either given
 * (a model package's sample, typed by its schema) or inferred: a column is numeric when every non-empty cell is a
 * decimal number.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import type { CategoryColumn } from '../source.ts';

export type ColumnKind = 'number' | 'category';

export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

export interface CsvColumns {
  header: string[];
  rows: number;
  numbers: Map<string, Float64Array>;
  categories: Map<string, CategoryColumn>;
}

export interface ReadCsvOptions {
  /** Kind per column; columns not listed are inferred. */
  kinds?: ReadonlyMap<string, ColumnKind>;
  /** Columns that must be present. */
  required?: readonly string[];
  /** Columns to keep (default: all). */
  keep?: ReadonlySet<string>;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell holds, NaN when empty, undefined when it is not a decimal number. */
export function parseNumberCell(cell: string): number | undefined {
  const text = cell.trim();
  if (text === '') return Number.NaN;
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

class Column {
  numbers: Float64Array | null = new Float64Array(1024);
  codes: Int32Array | null = null;
  labels: string[] = [];
  private index = new Map<string, number>();
  length = 0;

  constructor(
    readonly name: string,
    readonly fixedKind: ColumnKind | undefined,
  ) {
    if (fixedKind === 'category') this.toCategories();
  }

  private grow(): void {
    const capacity = (this.numbers ?? this.codes)!.length * 2;
    if (this.numbers) {
      const next = new Float64Array(capacity);
      next.set(this.numbers);
      this.numbers = next;
    } else {
      const next = new Int32Array(capacity);
      next.set(this.codes!);
      this.codes = next;
    }
  }

  private toCategories(): void {
    const previous = this.numbers!;
    this.codes = new Int32Array(previous.length);
    this.numbers = null;
    for (let i = 0; i < this.length; i += 1) {
      const v = previous[i]!;
      this.codes[i] = Number.isNaN(v) ? -1 : this.code(String(v));
    }
  }

  private code(label: string): number {
    let code = this.index.get(label);
    if (code === undefined) {
      code = this.labels.length;
      this.labels.push(label);
      this.index.set(label, code);
    }
    return code;
  }

  /** Adds a cell; returns an error message when a fixed numeric column gets a non-number. */
  add(cell: string): string | null {
    if (this.length === (this.numbers ?? this.codes)!.length) this.grow();
    if (this.numbers) {
      const value = parseNumberCell(cell);
      if (value !== undefined) {
        this.numbers[this.length++] = value;
        return null;
      }
      if (this.fixedKind === 'number') return `"${cell.slice(0, 40)}" is not a number`;
      this.toCategories();
    }
    this.codes![this.length++] = cell === '' ? -1 : this.code(cell);
    return null;
  }
}

/** Reads CSV text from a stream into columns; `source` names the file in error messages. */
export async function readCsvColumns(
  input: NodeJS.ReadableStream,
  source: string,
  options: ReadCsvOptions = {},
): Promise<CsvColumns> {
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: false });
  input.on('error', (error: Error) => parser.destroy(error));
  input.pipe(parser);
  let header: string[] | null = null;
  let columns: Array<Column | null> = [];
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = record.map((name) => name.trim());
        const seen = new Set<string>();
        for (const name of header) {
          if (name === '') throw new CsvError(`${source}: the header has an empty column name`);
          if (seen.has(name)) throw new CsvError(`${source}: the column "${name}" appears twice in the header`);
          seen.add(name);
        }
        for (const name of options.required ?? []) {
          if (!seen.has(name)) throw new CsvError(`${source}: the column "${name}" is missing`);
        }
        columns = header.map((name) =>
          !options.keep || options.keep.has(name) ? new Column(name, options.kinds?.get(name)) : null,
        );
        continue;
      }
      rows += 1;
      for (let c = 0; c < columns.length; c += 1) {
        const column = columns[c];
        if (!column) continue;
        const problem = column.add(record[c]!);
        if (problem) throw new CsvError(`${source}: line ${rows + 1}, column ${column.name}: ${problem}`);
      }
    }
  } catch (error) {
    if (error instanceof CsvError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (['ENOENT', 'EISDIR', 'EACCES'].includes(code)) throw error;
    const message = (error as Error).message.replace(/\s+/g, ' ');
    throw new CsvError(`${source}: ${code.startsWith('Z_') ? 'damaged gzip data: ' : ''}${message}`);
  }
  if (!header) throw new CsvError(`${source}: the file is empty (no header row)`);
  const numbers = new Map<string, Float64Array>();
  const categories = new Map<string, CategoryColumn>();
  for (const column of columns) {
    if (!column) continue;
    if (column.numbers) numbers.set(column.name, column.numbers.slice(0, rows));
    else categories.set(column.name, { codes: column.codes!.slice(0, rows), labels: column.labels });
  }
  return { header, rows, numbers, categories };
}

/** Opens a .csv or .csv.gz file as a text stream. */
export function openCsvFile(file: string): NodeJS.ReadableStream {
  const raw = createReadStream(file);
  if (!file.endsWith('.gz')) return raw;
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

/** Reads a .csv or .csv.gz file into columns, with file-system errors turned into one-line CsvErrors. */
export async function readCsvFile(file: string, options: ReadCsvOptions = {}): Promise<CsvColumns> {
  try {
    return await readCsvColumns(openCsvFile(file), file, options);
  } catch (error) {
    if (error instanceof CsvError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CsvError(`${file}: no such file`);
    if (code === 'EISDIR') throw new CsvError(`${file}: is a directory, not a CSV file`);
    throw new CsvError(`${file}: ${(error as Error).message}`);
  }
}
