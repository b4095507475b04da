/**
 * A reader that lists the log folder just before the writer compresses a closed file, and stats it just after the
 * plain copy is removed, must still see that file (as its `.gz`): dropping it made the next page skip its lines.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { removeDir, tempDir } from './helpers.ts';

const stale = vi.hoisted(() => ({ names: null as string[] | null }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    readdir: (async (dir: string) => stale.names ?? actual.readdir(dir)) as typeof actual.readdir,
  };
});

const { listLogFiles } = await import('../../server/log-files.ts');
const { decodeCursor, readLogPage } = await import('../../server/log-reader.ts');

const DAY = '2026-11-21';
const line = (n: number): string => `${JSON.stringify({ request_id: `r${n}` })}\n`;

describe('log files listed while a closed file is compressed', () => {
  let dir = '';
  afterEach(() => {
    stale.names = null;
    removeDir(dir);
  });

  it('lists a plain file removed after readdir as its .gz and pages on through it', async () => {
    dir = tempDir();
    const first = `predictions-p-0-${DAY}.jsonl`;
    const second = `predictions-p-0-${DAY}.1.jsonl`;
    writeFileSync(path.join(dir, `${first}.gz`), gzipSync(line(0) + line(1)));
    writeFileSync(path.join(dir, second), line(2));
    stale.names = [first, second]; // what readdir returned before the rename and unlink

    const files = await listLogFiles(dir, 'p-0');
    expect(files.map((file) => [file.name, file.gzip])).toEqual([
      [`${first}.gz`, true],
      [second, false],
    ]);

    const cursor = decodeCursor(`p-0:${DAY}:0:${line(0).length}`, 'p-0');
    const page = await readLogPage({ dir, replica: 'p-0', cursor, limit: 1, maxBytes: 1024 });
    expect(page.body.toString('utf8')).toBe(line(1));
  });

  it('leaves out a name that is gone with no .gz beside it', async () => {
    dir = tempDir();
    stale.names = [`predictions-p-0-${DAY}.jsonl`];
    expect(await listLogFiles(dir, 'p-0')).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });
});
