/**
 * Streams a CSV file (header row, empty cell = missing) into typed columns without keeping the rows: numbers in
 * growing Float64Arrays (NaN when missing), categories as codes into a label list. Column kinds are either given
 * (a model package's sample, typed by its schema) or inferred: a column is numeric when every non-empty cell is a
 * decimal number.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { CsvError, CsvScanner, ScanError } from './csv-scanner.ts';
import { readCsvInParts } from './csv-parts.ts';
import { checkHeader, scannerColumns, type CsvColumns, type ReadCsvOptions } from './csv-result.ts';

export { CsvError, parseNumberCell, type ColumnKind } from './csv-scanner.ts';
export type { CsvColumns, ReadCsvOptions } from './csv-result.ts';

/** Reads CSV text from a stream into columns; `source` names the file in error messages. */
export async function readCsvColumns(
  input: NodeJS.ReadableStream,
  source: string,
  options: ReadCsvOptions = {},
): Promise<CsvColumns> {
  const scanner = new CsvScanner({ kinds: options.kinds, keep: options.keep });
  let checked = false;
  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      scanner.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      if (!checked && scanner.header) {
        checkHeader(scanner.header, source, options);
        checked = true;
      }
    }
    scanner.finish();
    if (!checked && scanner.header) checkHeader(scanner.header, source, options);
  } catch (error) {
    if (error instanceof CsvError) throw error;
    if (error instanceof ScanError) throw new CsvError(error.describe(source));
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (['ENOENT', 'EISDIR', 'EACCES'].includes(code)) throw error;
    const message = (error as Error).message.replace(/\s+/g, ' ');
    throw new CsvError(`${source}: ${code.startsWith('Z_') ? 'damaged gzip data: ' : ''}${message}`);
  }
  return scannerColumns(scanner, source);
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
    if (!file.endsWith('.gz')) {
      const columns = await readCsvInParts(file, options);
      if (columns) return columns;
    }
    return await readCsvColumns(openCsvFile(file), file, options);
  } catch (error) {
    if (error instanceof CsvError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CsvError(`${file}: no such file`);
    if (code === 'EISDIR') throw new CsvError(`${file}: is a directory, not a CSV file`);
    throw new CsvError(`${file}: ${(error as Error).message}`);
  }
}
