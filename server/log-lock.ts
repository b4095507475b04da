/**
 * One writer per replica and log folder. Two API processes given the same replica id (the default is the host name,
 * so two `vigie api` on one machine share it) would append to, rotate and gzip the same files and corrupt them; the
 * second one refuses to start instead.
 *
 * The lock is `<dir>/.predictions-<replica>.lock`, created exclusively, holding the owner's pid and host. A lock left
 * by a process that no longer runs (killed, machine restarted) is taken over, and so is one holding this process's
 * own pid (a restarted container is pid 1 again). Liveness can only be checked on the same host: a lock written on
 * another host is taken over too, since refusing would keep a recreated container down until someone deleted it.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class LogDirLockedError extends Error {
  readonly code = 'ELOCKED';
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(
      `another process (pid ${pid}) is writing this replica's logs (lock ${lockFile}); give each API process its ` +
        'own VIGIE_REPLICA, or stop the other one',
    );
    this.name = 'LogDirLockedError';
  }
}

interface LockOwner {
  pid: number;
  host: string;
}

export function lockFileName(dir: string, replica: string): string {
  return path.join(dir, `.predictions-${replica}.lock`);
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return Number.isInteger(owner.pid) && typeof owner.host === 'string' ? { pid: owner.pid!, host: owner.host } : null;
  } catch {
    return null; // unreadable or half-written by a crash: nobody can be shown to own it
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the replica's lock in `dir`; returns the function that releases it. */
export function lockLogDir(dir: string, replica: string): () => void {
  const file = lockFileName(dir, replica);
  const owner: LockOwner = { pid: process.pid, host: os.hostname() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o640);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const current = readOwner(file);
      if (current && current.host === owner.host && current.pid !== owner.pid && isRunning(current.pid)) {
        throw new LogDirLockedError(file, current.pid);
      }
      unlinkSync(file);
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(owner));
    } finally {
      closeSync(fd);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      try {
        unlinkSync(file);
      } catch {
        // Already gone (the folder was removed): nothing to release.
      }
    };
  }
}
