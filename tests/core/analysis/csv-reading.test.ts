import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCsvColumns, readCsvFile, type CsvColumns } from '../../../core/analysis/index.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-csv-reading-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** About 10 MB of rows (past the two-core threshold): numbers of every shape, categories, missing cells. */
function bigCsv(rows: number, row: (i: number) => string): string {
  const lines = ['id,amount,ratio,kind,note'];
  for (let i = 0; i < rows; i += 1) lines.push(row(i));
  return `${lines.join('\n')}\n`;
}

function plainRow(i: number): string {
  const kinds = ['Cash loans', 'Revolving loans', 'Ünïcode', ''];
  return `${i},${i % 7 === 0 ? '' : (i * 37) % 100_000},${(i % 1000) / 997},${kinds[i % 4]},n${i % 13}`;
}

function bytes(values: Float64Array | Int32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

function same(a: CsvColumns, b: CsvColumns): void {
  expect(a.rows).toBe(b.rows);
  expect(a.header).toEqual(b.header);
  expect([...a.numbers.keys()]).toEqual([...b.numbers.keys()]);
  for (const [name, values] of a.numbers) expect(bytes(values).equals(bytes(b.numbers.get(name)!))).toBe(true);
  for (const [name, column] of a.categories) {
    const other = b.categories.get(name)!;
    expect(column.labels).toEqual(other.labels);
    expect(bytes(column.codes).equals(bytes(other.codes))).toBe(true);
  }
}

async function bothWays(name: string, text: string): Promise<[CsvColumns, CsvColumns]> {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const whole = await readCsvFile(file);
  const streamed = await readCsvColumns(createReadStream(file, { highWaterMark: 4096 }), file);
  return [whole, streamed];
}

describe('CSV reading', () => {
  it('reads a large file on two cores into the same columns as one streamed pass', async () => {
    const [whole, streamed] = await bothWays('big.csv', bigCsv(300_000, plainRow));
    expect(whole.rows).toBe(300_000);
    same(whole, streamed);
    expect(whole.numbers.get('ratio')![1000]).toBe(Number('0'));
    expect(whole.numbers.get('ratio')![1001]).toBe(1 / 997);
    expect(whole.categories.get('kind')!.labels).toEqual(['Cash loans', 'Revolving loans', 'Ünïcode']);
  });

  it('parses every number exactly as Number() does', async () => {
    const cells = ['0.1', '-0', '+5', '.5', '5.', '1e3', '-2.5E-3', ' 7 ', '123456789012345678', '0.30000000000000004'];
    const csv = `x\n${cells.join('\n')}\n`;
    const columns = await readCsvColumns(Readable.from([csv]), 'inline.csv');
    expect(Array.from(columns.numbers.get('x')!)).toEqual(cells.map((c) => Number(c)));
  });

  it('turns a column into categories when the second half of a large file holds text in it', async () => {
    const text = bigCsv(300_000, (i) => (i === 290_000 ? '1,2,3,x,many' : plainRow(i)));
    const [whole, streamed] = await bothWays('late-text.csv', text.replace('\n1,2,3,x,many', '\n1,2,lots,x,y'));
    same(whole, streamed);
    expect(whole.categories.has('ratio')).toBe(true);
  });

  it('reads text that appears in the first half only, then numbers, as one pass does', async () => {
    const text = bigCsv(300_000, (i) => (i === 5 ? '5,1,oops,x,y' : plainRow(i)));
    const [whole, streamed] = await bothWays('early-text.csv', text);
    same(whole, streamed);
    expect(whole.categories.get('ratio')!.labels).toContain('oops');
  });

  it('keeps quoted cells with commas, doubled quotes and line ends, even across the middle of the file', async () => {
    const quoted = '"a, ""b""\nc"';
    const text = bigCsv(300_000, (i) => (i % 50_000 === 149_999 % 50_000 ? `${i},1,2,${quoted},z` : plainRow(i)));
    const [whole, streamed] = await bothWays('quoted.csv', text.replace(/\n/g, '\r\n'));
    same(whole, streamed);
    expect(whole.categories.get('kind')!.labels).toContain('a, "b"\r\nc');
  });

  it('names the line of a bad cell in the second half of a large file', async () => {
    const text = bigCsv(300_000, (i) => (i === 250_000 ? '1,2' : plainRow(i)));
    const file = path.join(dir, 'short.csv');
    writeFileSync(file, text);
    await expect(readCsvFile(file)).rejects.toThrow(
      /short\.csv: line 250002: the record has 2 fields but the header has 5/,
    );
  });

  it('names the line and column of a non-number in a numeric column, in either half', async () => {
    for (const at of [10, 250_000]) {
      const file = path.join(dir, `typed-${at}.csv`);
      writeFileSync(
        file,
        bigCsv(300_000, (i) => (i === at ? '1,lots,2,x,y' : plainRow(i))),
      );
      await expect(readCsvFile(file, { kinds: new Map([['amount', 'number']]) })).rejects.toThrow(
        new RegExp(`line ${at + 2}, column amount: "lots" is not a number`),
      );
    }
  });

  it('refuses a quote inside an unquoted cell and text after a closing quote', async () => {
    await expect(readCsvColumns(Readable.from(['a,b\n1,x"y\n']), 'q.csv')).rejects.toThrow(/q\.csv: line 2: a quote/);
    await expect(readCsvColumns(Readable.from(['a,b\n1,"x"y\n']), 'q.csv')).rejects.toThrow(/closing quote/);
  });

  it('skips a byte-order mark and empty lines, and reads a last line without a line end', async () => {
    const columns = await readCsvColumns(Readable.from([Buffer.from('\ufeffa,b\n\n1,x\r\n\n2,y')]), 'bom.csv');
    expect(columns.header).toEqual(['a', 'b']);
    expect(Array.from(columns.numbers.get('a')!)).toEqual([1, 2]);
  });
});
