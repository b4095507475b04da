/** What reading a CSV file gives, and the checks every way of reading it shares. */
import type { CategoryColumn } from '../source.ts';
import type { CsvPartJob, CsvPartResult } from './csv-part-scan.ts';
import { CsvError, type ColumnKind, type CsvScanner } from './csv-scanner.ts';

/** The first `rows` values: a view when little room is left over, else a copy (so spare capacity is freed). */
function fit<T extends Float64Array | Int32Array>(values: T, rows: number): T {
  return (values.length - rows > rows / 16 + 1024 ? values.slice(0, rows) : values.subarray(0, rows)) as T;
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
  /** A started worker to scan the second half of a large file on (drift-helper.ts); else one is started for it. */
  helper?: PartScanner | null;
}

/** What scans a part of a file on another thread: null when it could not. */
export interface PartScanner {
  scan(job: CsvPartJob): Promise<CsvPartResult | null>;
}

/** Checks the header (names, duplicates, required columns). */
export function checkHeader(header: string[], source: string, options: ReadCsvOptions): void {
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') throw new CsvError(`${source}: the header has an empty column name`);
    if (seen.has(name)) throw new CsvError(`${source}: the column "${name}" appears twice in the header`);
    seen.add(name);
  }
  for (const name of options.required ?? []) {
    if (!seen.has(name)) throw new CsvError(`${source}: the column "${name}" is missing`);
  }
}

/** The finished columns of a scanner. */
export function scannerColumns(scanner: CsvScanner, source: string): CsvColumns {
  if (!scanner.header) throw new CsvError(`${source}: the file is empty (no header row)`);
  const numbers = new Map<string, Float64Array>();
  const categories = new Map<string, CategoryColumn>();
  const rows = scanner.rows;
  for (const column of scanner.columns) {
    if (!column) continue;
    if (column.numbers) numbers.set(column.name, fit(column.numbers, rows));
    else categories.set(column.name, { codes: fit(column.codes!, rows), labels: column.labels });
  }
  return { header: scanner.header, rows, numbers, categories };
}
