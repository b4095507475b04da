/**
 * Reads an offline-scoring input file as a stream of rows for `scoreStream`: CSV with contract columns (header row,
 * empty cell = missing, numbers parsed per the schema) or JSONL whose lines are applicants or objects with an `input`
 * field (golden files, production log records). `.gz` files are decompressed on the fly. Each row carries its line.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import type { InputSchema } from '../contract/index.ts';
import { InvalidRow } from './score-stream.ts';

export type InputFormat = 'csv' | 'jsonl';

export interface InputRow {
  /** 1-based line of the file where the row ends. */
  line: number;
  /** The raw applicant, or an InvalidRow saying why the line could not be read. */
  value: unknown;
}

export interface InputReader {
  rows: AsyncIterable<InputRow>;
  /** Compressed bytes read so far (for progress against the file size). */
  bytesRead(): number;
  /** CSV columns that are not schema fields and are left out (e.g. TARGET); empty for JSONL. */
  ignoredColumns(): string[];
}

/** The format a file name implies, or null. */
export function formatOf(file: string): InputFormat | null {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.endsWith('.json')) return 'jsonl';
  return null;
}

function invalid(code: string, path: string, message: string): InvalidRow {
  return new InvalidRow({ code, issues: [{ path, code: code.toLowerCase(), message }] });
}

function openFile(file: string): { stream: Readable; bytesRead(): number } {
  const raw = createReadStream(file);
  const stream = file.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  if (stream !== raw) raw.on('error', (error) => stream.destroy(error));
  return { stream, bytesRead: () => raw.bytesRead };
}

async function* jsonlRows(stream: Readable): AsyncGenerator<InputRow> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') {
      yield { line, value: invalid('BLANK_LINE', '', `line ${line} is blank`) };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      yield {
        line,
        value: invalid('INVALID_JSON', '', `line ${line} is not valid JSON (${(error as Error).message})`),
      };
      continue;
    }
    // Golden files and production log records wrap the applicant in "input".
    const wrapped =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'input' in parsed
        ? (parsed as { input: unknown }).input
        : parsed;
    yield { line, value: wrapped };
  }
}

async function* csvRows(stream: Readable, schema: InputSchema, ignored: string[]): AsyncGenerator<InputRow> {
  const parser = stream.pipe(
    parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: false }),
  );
  stream.on('error', (error) => parser.destroy(error));
  let header: string[] | null = null;
  const kept: Array<{ column: number; name: string; numeric: boolean }> = [];
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = info.lines;
    if (header === null) {
      header = record.map((cell) => cell.trim());
      const seen = new Set<string>();
      for (const [column, name] of header.entries()) {
        if (seen.has(name)) throw new Error(`the CSV header names ${name} twice`);
        seen.add(name);
        const field = schema.fieldsByName.get(name);
        if (field) kept.push({ column, name, numeric: field.kind !== 'category' });
        else ignored.push(name);
      }
      if (kept.length === 0) throw new Error('the CSV header names none of the input schema fields');
      // A missing required column would fail every row the same way: say it once, naming the columns.
      const lacking = schema.fields.filter((f) => f.required && !seen.has(f.name)).map((f) => f.name);
      if (lacking.length > 0) {
        throw new Error(
          `the CSV header lacks the required column${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')}`,
        );
      }
      continue;
    }
    if (record.length !== header.length) {
      yield {
        line,
        value: invalid(
          'CSV_COLUMN_COUNT',
          '',
          `line ${line} has ${record.length} cells, the header has ${header.length}`,
        ),
      };
      continue;
    }
    const applicant: Record<string, string | number | null> = {};
    let bad: InvalidRow | null = null;
    for (const { column, name, numeric } of kept) {
      const cell = record[column]!;
      if (cell === '') {
        applicant[name] = null;
      } else if (numeric) {
        const value = Number(cell.trim());
        if (cell.trim() === '' || !Number.isFinite(value)) {
          bad = invalid(
            'BAD_NUMBER',
            name,
            `${name} must be a number, got ${JSON.stringify(cell.slice(0, 40))} on line ${line}`,
          );
          break;
        }
        applicant[name] = value;
      } else {
        applicant[name] = cell;
      }
    }
    yield { line, value: bad ?? applicant };
  }
}

/** Opens `file` for offline scoring; errors in the file's structure (unclosed quote) surface as a thrown Error. */
export function readOfflineInput(file: string, format: InputFormat, schema: InputSchema): InputReader {
  const { stream, bytesRead } = openFile(file);
  const ignored: string[] = [];
  return {
    rows: format === 'csv' ? csvRows(stream, schema, ignored) : jsonlRows(stream),
    bytesRead,
    ignoredColumns: () => [...ignored],
  };
}
