/**
 * The replica id when `VIGIE_REPLICA` is not set. The host name alone is not unique: containers on host networking
 * (and two API processes on one machine) share it, and two replicas with one id mix their cursors in the console. The
 * default is therefore the host name plus a random suffix, generated on the first start and kept in the log folder, so
 * a replica keeps its id across restarts and a recreated container on the same volume keeps it too.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, defaultReplica, type ServerConfig } from './config.ts';

const REPLICA = /^[A-Za-z0-9_-]{1,64}$/;
/** Codes that say the log folder itself is unusable, reported as such (the replica id file lives in it). */
const FOLDER_CODES = new Set(['ENOTDIR', 'EACCES', 'EPERM', 'EROFS']);

function fileError(action: 'read' | 'write', file: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  if (FOLDER_CODES.has(code))
    return new ConfigError(`cannot use the log directory ${path.dirname(file)} (VIGIE_LOG_DIR): ${code}`);
  return new ConfigError(`cannot ${action} the replica id file ${file}: ${code}`);
}

function readReplica(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileError('read', file, error);
  }
  if (!REPLICA.test(text)) {
    throw new ConfigError(
      `the replica id file ${file} holds "${text.slice(0, 80)}", not 1-64 letters, digits, "_" or "-": fix or delete it, or set VIGIE_REPLICA`,
    );
  }
  return text;
}

/** The configuration with its replica id read from, or generated into, `replicaFile` (unchanged when it is null). */
export function resolveReplica(config: ServerConfig): ServerConfig {
  if (config.replicaFile === null) return config;
  const file = config.replicaFile;
  const existing = readReplica(file);
  if (existing !== null) return Object.freeze({ ...config, replica: existing });
  const generated = `${defaultReplica().slice(0, 57)}-${randomBytes(3).toString('hex')}`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // `wx`: a second process starting at the same moment keeps the id the first one wrote.
    writeFileSync(file, `${generated}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return Object.freeze({ ...config, replica: readReplica(file) ?? generated });
    }
    throw fileError('write', file, error);
  }
  return Object.freeze({ ...config, replica: generated });
}
