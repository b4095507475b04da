/**
 * Turns the paths a user names into the log files to import: files as named, folders searched recursively for
 * `.jsonl` / `.jsonl.gz`. The order is deterministic: rotated API logs (CONTRACT.md section 3) by day, replica and
 * part, other names alphabetically.
 */
import { constants, accessSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOG_FILE_PATTERN } from '../contract/index.ts';

/** A path the user gave that cannot be imported: the message names it and says why. */
export class IngestInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IngestInputError';
  }
}

export function isLogFileName(name: string): boolean {
  return name.endsWith('.jsonl') || name.endsWith('.jsonl.gz');
}

function sortKey(path: string): string {
  const slash = path.lastIndexOf('/');
  const folder = path.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  const match = LOG_FILE_PATTERN.exec(name);
  if (!match) return `${folder}\u0001${name}`;
  const [, replica, day, part] = match;
  return `${folder}\u0000${day}\u0000${replica}\u0000${(part ?? '0').padStart(6, '0')}\u0000${name}`;
}

function walk(folder: string, out: string[]): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if ((entry.isFile() || entry.isSymbolicLink()) && isLogFileName(entry.name)) out.push(path);
  }
}

function checkReadable(path: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new IngestInputError(`cannot read ${path}: permission denied`);
  }
}

/** The files to import, each once (by real path), in import order; throws IngestInputError naming a bad path. */
export function listLogFiles(paths: readonly string[]): string[] {
  if (paths.length === 0) throw new IngestInputError('name at least one .jsonl or .jsonl.gz file or folder');
  const files: string[] = [];
  for (const raw of paths) {
    const path = resolve(raw);
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new IngestInputError(`no such file or folder: ${raw}`);
    }
    if (stats.isDirectory()) {
      checkReadable(path);
      const found: string[] = [];
      walk(path, found);
      files.push(...found.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0)));
    } else if (!stats.isFile()) {
      throw new IngestInputError(`${raw} is not a regular file`);
    } else if (!isLogFileName(path)) {
      throw new IngestInputError(`${raw} is not a .jsonl or .jsonl.gz file`);
    } else {
      files.push(path);
    }
  }
  const seen = new Set<string>();
  return files.filter((file) => {
    checkReadable(file);
    const real = realpathSync(file);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}
