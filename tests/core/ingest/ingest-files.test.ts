import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../db/index.ts';
import { ingestPaths, IngestInputError } from '../../../core/ingest/index.ts';
import { jsonl, line, makeRecord, records, tempDir, type TempDir } from './fixtures.ts';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

let dir: TempDir;
let store: Store;

beforeEach(() => {
  dir = tempDir();
  store = openStore(':memory:');
});

afterEach(() => {
  store.close();
  dir.cleanup();
});

function quarantine(): Array<{ lineNo: number; reason: string; excerpt: string }> {
  return store.catalog.listQuarantine({ limit: 1000 }).rows;
}

describe('ingestPaths', () => {
  it('imports every record of a .jsonl file', async () => {
    const file = dir.file('a.jsonl', jsonl(records(0, 50)));
    const summary = await ingestPaths(store, [file]);
    expect(summary).toMatchObject({ files: 1, lines: 50, inserted: 50, duplicates: 0, quarantined: 0, errors: [] });
    expect(store.count()).toBe(50);
  });

  it('imports a .jsonl.gz file like the same .jsonl', async () => {
    const gz = dir.file('a.jsonl.gz', jsonl(records(0, 30)), { gzip: true });
    const summary = await ingestPaths(store, [gz]);
    expect(summary.inserted).toBe(30);
    expect(store.count()).toBe(30);
  });

  it('counts a request_id seen twice in one file as a duplicate', async () => {
    const file = dir.file('a.jsonl', jsonl([...records(0, 5), line(makeRecord(2)), line(makeRecord(4))]));
    const summary = await ingestPaths(store, [file]);
    expect(summary).toMatchObject({ lines: 7, inserted: 5, duplicates: 2 });
  });

  it('counts records already stored from another file as duplicates', async () => {
    const a = dir.file('a.jsonl', jsonl(records(0, 10)));
    const b = dir.file('b.jsonl', jsonl(records(5, 15)));
    const summary = await ingestPaths(store, [a, b]);
    expect(summary).toMatchObject({ inserted: 15, duplicates: 5 });
    expect(summary.sources.map((s) => [s.inserted, s.duplicates])).toEqual([
      [10, 0],
      [5, 5],
    ]);
  });

  it('reads a UTF-8 byte order mark, CRLF line ends and blank lines without quarantining them', async () => {
    const text = `\uFEFF${records(0, 3).join('\r\n')}\r\n\r\n   \n${line(makeRecord(3))}\r\n\n`;
    const file = dir.file('a.jsonl', text);
    const summary = await ingestPaths(store, [file]);
    expect(summary).toMatchObject({ lines: 7, inserted: 4, quarantined: 0 });
  });

  it('imports a last line that has no newline', async () => {
    const file = dir.file('a.jsonl', records(0, 3).join('\n'));
    expect((await ingestPaths(store, [file])).inserted).toBe(3);
  });

  it('numbers quarantined lines by their line in the file, blank lines included', async () => {
    const file = dir.file('a.jsonl', jsonl([line(makeRecord(0)), '', 'not json', line(makeRecord(1))]));
    await ingestPaths(store, [file]);
    expect(quarantine().map((q) => [q.lineNo, q.reason])).toEqual([[3, 'bad_json']]);
  });

  it('keeps at most 1 KB of a quarantined line', async () => {
    const long = `{"request_id": "${'x'.repeat(5000)}`;
    const file = dir.file('a.jsonl', jsonl([long]));
    await ingestPaths(store, [file]);
    const [entry] = quarantine();
    expect(entry!.reason).toBe('truncated_line');
    expect(Buffer.byteLength(entry!.excerpt)).toBeLessThanOrEqual(1024);
    expect(entry!.excerpt.startsWith('{"request_id"')).toBe(true);
  });

  it('imports the files of a folder recursively, ignoring other files, in day and part order', async () => {
    mkdirSync(join(dir.path, 'logs', 'api-1'), { recursive: true });
    dir.file('logs/predictions-api-0-2026-11-22.jsonl', jsonl(records(20, 30)));
    dir.file('logs/predictions-api-0-2026-11-21.1.jsonl.gz', jsonl(records(10, 20)), { gzip: true });
    dir.file('logs/predictions-api-0-2026-11-21.jsonl', jsonl(records(0, 10)));
    dir.file('logs/api-1/predictions-api-1-2026-11-21.jsonl', jsonl(records(30, 35)));
    dir.file('logs/README.md', '# not a log');
    const summary = await ingestPaths(store, [join(dir.path, 'logs')]);
    expect(summary.sources.map((s) => s.source.slice(dir.path.length + 6))).toEqual([
      'predictions-api-0-2026-11-21.jsonl',
      'predictions-api-0-2026-11-21.1.jsonl.gz',
      'predictions-api-0-2026-11-22.jsonl',
      'api-1/predictions-api-1-2026-11-21.jsonl',
    ]);
    expect(summary.inserted).toBe(35);
  });

  it('imports a file named twice only once', async () => {
    const file = dir.file('a.jsonl', jsonl(records(0, 5)));
    const summary = await ingestPaths(store, [file, dir.path]);
    expect(summary.files).toBe(1);
  });

  it('refuses a path that does not exist before importing anything', async () => {
    const good = dir.file('a.jsonl', jsonl(records(0, 5)));
    await expect(ingestPaths(store, [good, join(dir.path, 'missing.jsonl')])).rejects.toThrow(
      /no such file or folder: .*missing\.jsonl/,
    );
    expect(store.count()).toBe(0);
  });

  it('refuses a file that is not .jsonl or .jsonl.gz', async () => {
    const csv = dir.file('a.csv', 'a,b\n');
    await expect(ingestPaths(store, [csv])).rejects.toBeInstanceOf(IngestInputError);
    await expect(ingestPaths(store, [csv])).rejects.toThrow(/is not a \.jsonl or \.jsonl\.gz file/);
  });

  it('refuses an empty list of paths', async () => {
    await expect(ingestPaths(store, [])).rejects.toThrow(/at least one/);
  });
});

describe('damaged gzip', () => {
  function damagedGzip(count: number): Buffer {
    const whole = gzipSync(Buffer.from(jsonl(records(0, count))));
    return whole.subarray(0, Math.floor(whole.length * 0.6));
  }

  it('keeps the records read before the damage and reports the file as damaged', async () => {
    const file = dir.file('a.jsonl.gz', damagedGzip(3000));
    const summary = await ingestPaths(store, [file]);
    expect(summary.sources[0]!.status).toBe('damaged');
    expect(summary.errors).toEqual([{ source: file, error: expect.stringMatching(/gzip data is damaged/) }]);
    expect(summary.inserted).toBeGreaterThan(100);
    expect(summary.inserted).toBeLessThan(3000);
    expect(store.catalog.listSources()[0]!.status).toBe('damaged');
  });

  it('quarantines the line cut by the damage as truncated', async () => {
    const file = dir.file('a.jsonl.gz', damagedGzip(3000));
    const summary = await ingestPaths(store, [file]);
    const cut = quarantine();
    expect(cut.length).toBeLessThanOrEqual(1);
    expect(summary.inserted + cut.length).toBe(summary.lines);
    if (cut.length === 1) expect(cut[0]!.reason).toBe('truncated_line');
  });

  it('reports corrupted bytes in the middle of a gzip file', async () => {
    const whole = gzipSync(Buffer.from(jsonl(records(0, 3000))));
    const corrupt = Buffer.from(whole);
    corrupt.fill(0x41, Math.floor(corrupt.length / 2), Math.floor(corrupt.length / 2) + 64);
    const file = dir.file('a.jsonl.gz', corrupt);
    const summary = await ingestPaths(store, [file]);
    expect(summary.sources[0]!.status).toBe('damaged');
    expect(summary.inserted).toBeLessThan(3000);
  });
});

describe('re-importing', () => {
  it('skips a file already imported, without inserting anything', async () => {
    const file = dir.file('a.jsonl.gz', jsonl(records(0, 20)), { gzip: true });
    await ingestPaths(store, [file]);
    const again = await ingestPaths(store, [file]);
    expect(again).toMatchObject({ skipped: 1, lines: 0, inserted: 0, duplicates: 0 });
    expect(store.count()).toBe(20);
  });

  it('skips a copy of an imported file under another name by its SHA-256', async () => {
    const content = jsonl(records(0, 20));
    const a = dir.file('a.jsonl', content);
    await ingestPaths(store, [a]);
    const b = dir.file('copy.jsonl', content);
    const again = await ingestPaths(store, [b]);
    expect(again.skipped).toBe(1);
  });

  it('imports only the new lines of a file that grew, counting the old ones as duplicates', async () => {
    const file = dir.file('a.jsonl', jsonl(records(0, 10)));
    await ingestPaths(store, [file]);
    appendFileSync(file, jsonl(records(10, 15)));
    const again = await ingestPaths(store, [file]);
    expect(again).toMatchObject({ skipped: 0, inserted: 5, duplicates: 10 });
  });

  it('does not quarantine the same line twice when a changed file is imported again', async () => {
    const file = dir.file('a.jsonl', jsonl(['oops', ...records(0, 3)]));
    await ingestPaths(store, [file]);
    writeFileSync(file, `${readFileSync(file, 'utf8')}${jsonl(records(3, 4))}`);
    await ingestPaths(store, [file]);
    // A changed file is a new source: its bad line is quarantined under that source, once.
    const entries = quarantine();
    expect(entries.map((q) => q.lineNo)).toEqual([1, 1]);
    expect(new Set(store.catalog.listQuarantine().rows.map((q) => q.sourceId)).size).toBe(2);
  });
});
