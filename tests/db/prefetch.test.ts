import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prefetchFile } from '../../db/prefetch.ts';

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
