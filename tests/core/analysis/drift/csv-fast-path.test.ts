/**
 * The CSV scanner reads plain records in one pass (csv-column.ts scanCell) and gives every other record to its general
 * path. Both must give what an independent CSV parser (csv-parse) plus the typing rule gives: a column is numeric
 * while every non-empty cell is a decimal number, and once a cell is not, the numbers read so far become the labels
 * String(value) and later cells keep their text.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseNumberCell, readCsvColumns, readCsvFile, type CsvColumns } from '../../../../core/analysis/index.ts';
import { CsvScanner } from '../../../../core/analysis/drift/csv-scanner.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-csv-fast-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Cells as written in the file, of every shape the scanner meets. */
const NUMBER_CELLS = ['12', '-3.25', '+4', '.5', '5.', '0', '-0', '', '1e3', '-2.5E-3', ' 7 ', '1234567890123456789'];
const TEXT_CELLS = ['Cash loans', 'Ünïcode', '"a, b"', '"x ""y"""', '"two\nlines"', '"12"', '', 'M', 'ratio 0.5'];

function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** A random file: numeric columns, one that turns to text part-way, text columns; LF or CRLF, maybe a BOM. */
function randomCsv(seed: number): string {
  const next = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const eol = next() < 0.5 ? '\n' : '\r\n';
  const rows = 50 + Math.floor(next() * 300);
  const turnsAt = Math.floor(next() * rows);
  const lines = ['id, amount ,late,kind,note'];
  for (let i = 0; i < rows; i += 1) {
    if (next() < 0.02) lines.push('');
    const late = i === turnsAt ? 'text now' : i > turnsAt && next() < 0.3 ? pick(TEXT_CELLS) : pick(NUMBER_CELLS);
    lines.push([String(i), pick(NUMBER_CELLS), late, pick(TEXT_CELLS), pick(TEXT_CELLS)].join(','));
  }
  const body = lines.join(eol) + (next() < 0.7 ? eol : '');
  return (next() < 0.3 ? '\ufeff' : '') + body;
}

/** What the scanner must give, from csv-parse's records and the typing rule. */
function expected(text: string): CsvColumns {
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_quotes: false }) as string[][];
  const header = records[0]!.map((name) => name.trim());
  const data = records.slice(1);
  const numbers = new Map<string, Float64Array>();
  const categories = new Map<string, { codes: Int32Array; labels: string[] }>();
  header.forEach((name, k) => {
    const parsed = data.map((record) => parseNumberCell(record[k]!));
    const firstText = parsed.findIndex((v) => v === undefined);
    if (firstText === -1) {
      numbers.set(name, Float64Array.from(parsed as number[]));
      return;
    }
    const labels: string[] = [];
    const codes = new Int32Array(data.length);
    data.forEach((record, i) => {
      const value = parsed[i]!;
      const label = i < firstText ? (Number.isNaN(value) ? null : String(value)) : record[k] === '' ? null : record[k]!;
      if (label === null) codes[i] = -1;
      else {
        if (!labels.includes(label)) labels.push(label);
        codes[i] = labels.indexOf(label);
      }
    });
    categories.set(name, { codes, labels });
  });
  return { header, rows: data.length, numbers, categories };
}

function same(actual: CsvColumns, wanted: CsvColumns): void {
  expect(actual.header).toEqual(wanted.header);
  expect(actual.rows).toBe(wanted.rows);
  expect([...actual.numbers.keys()].sort()).toEqual([...wanted.numbers.keys()].sort());
  for (const [name, values] of wanted.numbers)
    expect(Array.from(actual.numbers.get(name)!)).toEqual(Array.from(values));
  for (const [name, column] of wanted.categories) {
    const got = actual.categories.get(name)!;
    expect(got.labels).toEqual(column.labels);
    expect(Array.from(got.codes)).toEqual(Array.from(column.codes));
  }
}

/** Splits the bytes into chunks of the given size, so that records and line ends are cut at every place. */
function chunks(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

describe('CSV fast path', () => {
  it('reads random files of quoted, CRLF, empty, spaced and long cells as an independent parser does', async () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const text = randomCsv(seed);
      const wanted = expected(text);
      const bytes = Buffer.from(text);
      for (const size of [1, 7, 64, bytes.length]) {
        same(await readCsvColumns(Readable.from(chunks(bytes, size)), `random-${seed}.csv`), wanted);
      }
      const file = path.join(dir, `random-${seed}.csv.gz`);
      writeFileSync(file, gzipSync(bytes));
      same(await readCsvFile(file), wanted);
    }
  });

  it('keeps a bare carriage return inside a cell and strips the one of a CRLF line end', async () => {
    const columns = await readCsvColumns(Readable.from(['a,b\r\n1,x\ry\r\n2,z\r\n']), 'cr.csv');
    expect(Array.from(columns.numbers.get('a')!)).toEqual([1, 2]);
    expect(columns.categories.get('b')!.labels).toEqual(['x\ry', 'z']);
  });

  it('keeps empty cells as missing in both kinds of column, at the start, middle and end of a record', async () => {
    const columns = await readCsvColumns(Readable.from(['a,b,c\r\n,,\r\n1,x,\r\n,y,2\r\n']), 'empty.csv');
    expect(Array.from(columns.numbers.get('a')!)).toEqual([Number.NaN, 1, Number.NaN]);
    expect(Array.from(columns.categories.get('b')!.codes)).toEqual([-1, 0, 1]);
    expect(Array.from(columns.numbers.get('c')!)).toEqual([Number.NaN, Number.NaN, 2]);
  });

  it('names the file, line and column of a bad number in a numeric column of a CRLF or gzipped file', async () => {
    const kinds = new Map([['b', 'number' as const]]);
    const text = '\ufeffa,b\r\n1,2\r\n"q",3\r\n4,5x\r\n';
    await expect(readCsvColumns(Readable.from([text]), 'crlf.csv', { kinds })).rejects.toThrow(
      'crlf.csv: line 4, column b: "5x" is not a number',
    );
    const file = path.join(dir, 'bad.csv.gz');
    writeFileSync(file, gzipSync(Buffer.from(text)));
    await expect(readCsvFile(file, { kinds })).rejects.toThrow('bad.csv.gz: line 4, column b: "5x" is not a number');
  });

  it('refuses a record with a cell too many or too few, naming its line', async () => {
    await expect(readCsvColumns(Readable.from(['a,b\n1,2\n3,4,5\n']), 'wide.csv')).rejects.toThrow(
      'wide.csv: line 3: the record has 3 fields but the header has 2',
    );
    await expect(readCsvColumns(Readable.from(['a,b\r\n1,2\r\n3\r\n']), 'narrow.csv')).rejects.toThrow(
      'narrow.csv: line 3: the record has 1 field but the header has 2',
    );
  });

  it('reads plain records in WebAssembly exactly as in JavaScript, over slabs, new labels and odd bytes', () => {
    // Thousands of rows (several slabs of records per call), a label column of thousands of distinct values (the
    // module's label table grows), non-ASCII and invalid UTF-8 labels (two byte strings that decode alike), numbers
    // of 15 and 16 digits, a column that turns to text after many rows, quotes, CRLF and empty lines here and there.
    const next = rng(7);
    const invalid = [Buffer.from([0x41, 0xff]), Buffer.from([0x41, 0xfe]), Buffer.from('Été', 'utf8')];
    const parts: Buffer[] = [Buffer.from('a,b,c,d,e\n')];
    for (let i = 0; i < 9000; i += 1) {
      const r = next();
      const eol = r < 0.01 ? '\r\n' : r < 0.015 ? '\n\n' : '\n';
      const number =
        r < 0.05 ? '' : r < 0.06 ? '123456789012345' : r < 0.07 ? '1234567890123456' : (next() * 1e4).toFixed(i % 7);
      const late = i > 6000 && r < 0.2 ? 'late text' : String(i % 50);
      const label = r < 0.03 ? '"quoted, label"' : `label ${Math.floor(next() * 4000)}`;
      parts.push(Buffer.from(`${number},${late},${label},`), invalid[i % 3]!, Buffer.from(`,${-i / 8}${eol}`));
    }
    const bytes = Buffer.concat(parts);
    const read = (wasm: boolean, size: number) => {
      const scanner = new CsvScanner({ wasm });
      for (const chunk of chunks(bytes, size)) scanner.push(chunk);
      scanner.finish();
      return {
        rows: scanner.rows,
        lines: scanner.lines,
        columns: scanner.columns.map((c) => ({
          kind: c!.kind,
          labels: c!.labels,
          values: Array.from((c!.numbers ?? c!.codes!).subarray(0, c!.length)),
        })),
      };
    };
    const wanted = read(false, bytes.length);
    expect(wanted.rows).toBe(9000);
    expect(wanted.columns.map((c) => c.kind)).toEqual(['number', 'category', 'category', 'category', 'number']);
    expect(wanted.columns[2]!.labels.length).toBeGreaterThan(3000);
    for (const size of [333, 65536, bytes.length]) expect(read(true, size)).toEqual(wanted);
  });
});
