import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { LogWriter, type LogWriterOptions } from '../../server/log-writer.ts';
import { removeDir, tempDir } from './helpers.ts';

let dir = '';
const writers: LogWriter[] = [];

afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.close();
  removeDir(dir);
});

async function open(options: Partial<LogWriterOptions> = {}): Promise<LogWriter> {
  const writer = await LogWriter.open({
    dir: path.join(dir, 'logs'),
    replica: 'api-0',
    maxFileBytes: 1_000_000,
    fsyncMs: 100,
    gzip: true,
    minFreeBytes: 0,
    ...options,
  });
  writers.push(writer);
  return writer;
}

const line = (n: number) => `${JSON.stringify({ request_id: `r${n}`, pad: 'x'.repeat(40) })}\n`;
const files = () =>
  readdirSync(path.join(dir, 'logs'))
    .filter((name) => !name.startsWith('.'))
    .sort();
const content = (name: string) => {
  const raw = readFileSync(path.join(dir, 'logs', name));
  return (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
};

describe('LogWriter', () => {
  it('names files predictions-<replica>-<UTC day>.jsonl and appends synchronously', async () => {
    dir = tempDir();
    const writer = await open({ now: () => Date.parse('2026-11-21T23:59:59.999Z') });
    expect(writer.append(line(1))).toBe(true);
    expect(files()).toEqual(['predictions-api-0-2026-11-21.jsonl']);
    expect(content('predictions-api-0-2026-11-21.jsonl')).toBe(line(1));
  });

  it('rotates at UTC midnight and gzips the closed file in the background', async () => {
    dir = tempDir();
    let now = Date.parse('2026-11-21T23:59:59.000Z');
    const writer = await open({ now: () => now });
    writer.append(line(1));
    now = Date.parse('2026-11-22T00:00:00.000Z');
    writer.append(line(2));
    await writer.idle();
    expect(files()).toEqual(['predictions-api-0-2026-11-21.jsonl.gz', 'predictions-api-0-2026-11-22.jsonl']);
    expect(content('predictions-api-0-2026-11-21.jsonl.gz')).toBe(line(1));
    expect(content('predictions-api-0-2026-11-22.jsonl')).toBe(line(2));
  });

  it('starts a new numbered part past the size limit, never splitting a record', async () => {
    dir = tempDir();
    const writer = await open({ maxFileBytes: 150, gzip: false, now: () => Date.parse('2026-11-21T10:00:00Z') });
    for (let n = 0; n < 5; n += 1) writer.append(line(n));
    expect(files()).toEqual([
      'predictions-api-0-2026-11-21.1.jsonl',
      'predictions-api-0-2026-11-21.2.jsonl',
      'predictions-api-0-2026-11-21.jsonl',
    ]);
    const all = [
      'predictions-api-0-2026-11-21.jsonl',
      'predictions-api-0-2026-11-21.1.jsonl',
      'predictions-api-0-2026-11-21.2.jsonl',
    ]
      .map(content)
      .join('');
    expect(all).toBe([0, 1, 2, 3, 4].map(line).join(''));
  });

  it('starts a new part after a restart and compresses what the previous run left open', async () => {
    dir = tempDir();
    const now = () => Date.parse('2026-11-21T10:00:00Z');
    const first = await open({ now });
    first.append(line(1));
    await first.close();
    const second = await open({ now });
    second.append(line(2));
    await second.idle();
    expect(files()).toEqual(['predictions-api-0-2026-11-21.1.jsonl', 'predictions-api-0-2026-11-21.jsonl.gz']);
  });

  it('leaves other replicas files alone', async () => {
    dir = tempDir();
    const other = await open({ replica: 'api-1', gzip: false });
    other.append(line(1));
    await other.close();
    const writer = await open();
    await writer.idle();
    expect(files().filter((name) => name.includes('api-1'))).toHaveLength(1);
    expect(files().every((name) => !name.endsWith('.gz'))).toBe(true);
  });

  it('counts a failed write, reports it in health, and recovers on a new part once it can write again', async () => {
    dir = tempDir();
    const errors: string[] = [];
    const writer = await open({ gzip: false, onWriteError: (code) => errors.push(code) });
    rmSync(path.join(dir, 'logs'), { recursive: true });
    expect(writer.append(line(1))).toBe(false);
    expect(errors).toEqual(['ENOENT']);
    expect(writer.writeErrors).toBe(1);
    const health = await writer.health();
    expect(health.ok).toBe(false);
    expect(health.reasons.join(' ')).toMatch(/not writable|last log write failed \(ENOENT\)/);

    await writer.close();
    writers.length = 0;
    const again = await open({ gzip: false });
    expect(again.append(line(2))).toBe(true);
    expect((await again.health()).ok).toBe(true);
  });

  it('reports the disk as full below the free-space floor', async () => {
    dir = tempDir();
    const writer = await open({ minFreeBytes: Number.MAX_SAFE_INTEGER });
    const health = await writer.health();
    expect(health.ok).toBe(false);
    expect(health.reasons[0]).toMatch(/log disk is full/);
  });

  it('refuses writes after close without throwing', async () => {
    dir = tempDir();
    const writer = await open();
    await writer.close();
    expect(writer.append(line(1))).toBe(false);
    expect(existsSync(path.join(dir, 'logs'))).toBe(true);
  });
});

describe('LogWriter lock', () => {
  const lockOf = (replica = 'api-0') => path.join(dir, 'logs', `.predictions-${replica}.lock`);
  const writeLock = (pid: number, host = os.hostname()) => {
    mkdirSync(path.join(dir, 'logs'), { recursive: true });
    writeFileSync(lockOf(), JSON.stringify({ pid, host }));
  };

  it('refuses to write a replica another running process on this host writes, naming its pid', async () => {
    dir = tempDir();
    writeLock(process.ppid);
    await expect(open()).rejects.toThrow(`another process (pid ${process.ppid}) is writing this replica's logs`);
    expect(JSON.parse(readFileSync(lockOf(), 'utf8'))).toEqual({ pid: process.ppid, host: os.hostname() });
  });

  it('takes over a lock left by a process that no longer runs, and releases it on close', async () => {
    dir = tempDir();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeLock(gone);
    const writer = await open();
    expect(JSON.parse(readFileSync(lockOf(), 'utf8'))).toEqual({ pid: process.pid, host: os.hostname() });
    await writer.close();
    expect(existsSync(lockOf())).toBe(false);
  });

  it('takes over an unreadable lock, and one written on another host', async () => {
    dir = tempDir();
    mkdirSync(path.join(dir, 'logs'), { recursive: true });
    writeFileSync(lockOf(), '{"pid":');
    await (await open()).close();
    writeLock(process.ppid, `${os.hostname()}-elsewhere`);
    await (await open()).close();
    expect(existsSync(lockOf())).toBe(false);
  });

  it('lets two replicas share a folder', async () => {
    dir = tempDir();
    await open({ replica: 'api-0' });
    await open({ replica: 'api-1' });
    expect(readdirSync(path.join(dir, 'logs')).sort()).toEqual(['.predictions-api-0.lock', '.predictions-api-1.lock']);
  });
});

describe('LogWriter start-up', () => {
  it("removes its own replica's unfinished compression files and leaves another replica's", async () => {
    dir = tempDir();
    const logs = path.join(dir, 'logs');
    mkdirSync(logs, { recursive: true });
    writeFileSync(path.join(logs, '.predictions-api-0-2026-11-20.jsonl.gz.tmp'), 'partial');
    writeFileSync(path.join(logs, '.predictions-api-1-2026-11-20.jsonl.gz.tmp'), 'in progress');
    await open({ replica: 'api-0' });
    expect(existsSync(path.join(logs, '.predictions-api-0-2026-11-20.jsonl.gz.tmp'))).toBe(false);
    expect(existsSync(path.join(logs, '.predictions-api-1-2026-11-20.jsonl.gz.tmp'))).toBe(true);
  });
});
