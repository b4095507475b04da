import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { prefetchFile, prefetchTable, tablePageRuns } from '../../db/prefetch.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigie-prefetch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a store file ahead', () => {
  it('reads the whole file, in blocks, when it is small enough', async () => {
    const file = join(dir, 'store.sqlite');
    writeFileSync(file, Buffer.alloc(9 * 1024 * 1024 + 17, 1));
    expect(await prefetchFile(file)).toBe(9 * 1024 * 1024 + 17);
  });

  it('does nothing, without an error, for a file that is not there', async () => {
    expect(await prefetchFile(join(dir, 'gone.sqlite'))).toBe(0);
  });
});

describe('reading one table of a store ahead', () => {
  it('reads every page of the table, its overflow chains included, and little else', async () => {
    const file = join(dir, 'chunks.sqlite');
    const db = new Database(file);
    db.pragma('page_size = 4096');
    db.exec(
      'CREATE TABLE chunks (id INTEGER PRIMARY KEY, blob BLOB); CREATE TABLE other (id INTEGER PRIMARY KEY, t TEXT)',
    );
    const insertChunk = db.prepare('INSERT INTO chunks (blob) VALUES (?)');
    const insertOther = db.prepare('INSERT INTO other (t) VALUES (?)');
    // As imports write them: each commit's chunk pages between other tables' pages; blobs small and large.
    for (let commit = 0; commit < 40; commit++) {
      db.transaction(() => {
        insertChunk.run(Buffer.alloc(commit % 3 === 0 ? 100 : 3000 + commit * 800, commit));
        for (let i = 0; i < 100; i++) insertOther.run('x'.repeat(300));
      })();
    }
    const root = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'chunks'").pluck().get() as number;
    const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = 'chunks'").pluck().all() as number[];
    const fileBytes = (db.pragma('page_count', { simple: true }) as number) * 4096;
    db.close();

    const runs = await tablePageRuns(file, root);
    expect(runs?.pageSize).toBe(4096);
    const covered = (page: number) => runs!.pages.some(([first, end]) => page >= first && page < end);
    expect(pages.filter((page) => !covered(page))).toEqual([]);
    const read = await prefetchTable(file, root);
    expect(read).toBe(runs!.pages.reduce((sum, [first, end]) => sum + (end - first) * 4096, 0));
    expect(read).toBeLessThan(fileBytes / 2);
  });

  it('reads the whole file when the page given is not the root of a table', async () => {
    const file = join(dir, 'not-a-tree.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x)');
    db.prepare('INSERT INTO t VALUES (?)').run('a');
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    // Page 1 is the schema's b-tree, which a page count beyond the file cannot be.
    expect(await tablePageRuns(file, pageCount + 5)).toBeNull();
    expect(await prefetchTable(file, pageCount + 5)).toBe(pageCount * pageSize);
    writeFileSync(join(dir, 'plain.bin'), Buffer.alloc(10_000, 7));
    expect(await tablePageRuns(join(dir, 'plain.bin'), 1)).toBeNull();
  });
});
