/**
 * A real full disk: a 64 KiB tmpfs. Mounting needs root with CAP_SYS_ADMIN (the development box has it, a CI
 * container usually does not), so the test is skipped, saying so, where the mount is refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogWriter } from '../../server/log-writer.ts';
import { removeDir, tempDir } from './helpers.ts';

let root = '';
let mounted = false;

beforeAll(() => {
  root = tempDir();
  mkdirSync(path.join(root, 'disk'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', path.join(root, 'disk')], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
});

afterAll(() => {
  if (mounted) execFileSync('umount', [path.join(root, 'disk')]);
  removeDir(root);
});

describe('LogWriter on a full disk', () => {
  it('counts ENOSPC, keeps every complete record, and never appends after a half-written line', async (context) => {
    if (!mounted) context.skip('cannot mount a small tmpfs here (needs root with CAP_SYS_ADMIN)');
    const dir = path.join(root, 'disk', 'logs');
    const errors: string[] = [];
    const writer = await LogWriter.open({
      dir,
      replica: 'full-0',
      maxFileBytes: 1_000_000,
      fsyncMs: 100,
      gzip: false,
      minFreeBytes: 0,
      onWriteError: (code) => errors.push(code),
    });
    const line = (n: number) => `${JSON.stringify({ request_id: `r${n}`, pad: 'y'.repeat(3000) })}\n`;
    const accepted: number[] = [];
    for (let n = 0; n < 60; n += 1) if (writer.append(line(n))) accepted.push(n);
    await writer.close();

    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.length).toBeLessThan(60);
    expect(new Set(errors)).toEqual(new Set(['ENOSPC']));
    const files = readdirSync(dir).sort((a, b) => a.length - b.length || a.localeCompare(b));
    const text = files.map((name) => readFileSync(path.join(dir, name), 'utf8'));
    // The first file holds exactly the accepted records, then at most one cut line; later parts never add to it.
    const complete = text[0]!
      .split('\n')
      .slice(0, accepted.length)
      .map((l) => JSON.parse(l).request_id);
    expect(complete).toEqual(accepted.map((n) => `r${n}`));
    expect(files.length).toBeLessThanOrEqual(3);
  });
});
