/**
 * The production log files of one replica in the log folder: `predictions-<replica>-<UTC day>[.<part>].jsonl[.gz]`
 * (CONTRACT.md section 3), in write order: by day, then part.
 */
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LOG_FILE_PATTERN } from '../core/contract/index.ts';

export interface LogFile {
  name: string;
  day: string;
  part: number;
  gzip: boolean;
  size: number;
  modified: string;
}

export interface ParsedLogName {
  replica: string;
  day: string;
  part: number;
  gzip: boolean;
}

export function parseLogFileName(name: string): ParsedLogName | null {
  const match = LOG_FILE_PATTERN.exec(name);
  if (!match) return null;
  return { replica: match[1]!, day: match[2]!, part: match[3] ? Number(match[3]) : 0, gzip: match[4] !== undefined };
}

/** Orders (day, part) pairs as the writer creates them. */
export function compareSlots(a: { day: string; part: number }, b: { day: string; part: number }): number {
  return a.day < b.day ? -1 : a.day > b.day ? 1 : a.part - b.part;
}

/**
 * Stats one listed file. A plain file compressed and removed since `readdir` is found as its `.gz`, which the writer
 * renames into place before it removes the plain copy: dropping the slot instead would make a reader skip it.
 */
async function statLogFile(
  dir: string,
  name: string,
  gzip: boolean,
): Promise<{ name: string; gzip: boolean; info: Stats } | null> {
  try {
    const info = await stat(path.join(dir, name));
    return info.isFile() ? { name, gzip, info } : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || gzip) return null;
    return statLogFile(dir, `${name}.gz`, true);
  }
}

/**
 * This replica's files, one per (day, part). A file caught between compression and removal of its plain copy is
 * listed once, as the finished `.gz`.
 */
export async function listLogFiles(dir: string, replica: string): Promise<LogFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const bySlot = new Map<string, LogFile>();
  for (const name of names) {
    const parsed = parseLogFileName(name);
    if (!parsed || parsed.replica !== replica) continue;
    const key = `${parsed.day}.${parsed.part}`;
    const existing = bySlot.get(key);
    if (existing?.gzip) continue;
    const found = await statLogFile(dir, name, parsed.gzip);
    if (found === null) continue;
    bySlot.set(key, {
      name: found.name,
      day: parsed.day,
      part: parsed.part,
      gzip: found.gzip,
      size: found.info.size,
      modified: found.info.mtime.toISOString(),
    });
  }
  return [...bySlot.values()].sort(compareSlots);
}
