/**
 * `models/registry.json` (docs/model-package.md): which versions of a model exist and which version each alias
 * (champion, fallback, challenger) points to, with an append-only history. Writers replace the file atomically.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { isPlainObject } from '../contract/index.ts';

export const REGISTRY_FILE = 'registry.json';
export const REGISTRY_FORMAT_VERSION = 1;

export interface VersionEntry {
  /** Package folder relative to the models directory. */
  path: string;
  kind?: string;
  created_at?: string;
  model_sha256?: string;
  metrics?: Record<string, number>;
  description?: string;
  [key: string]: unknown;
}

export interface RegisteredModel {
  versions: Record<string, VersionEntry>;
  aliases: Record<string, string>;
}

export type HistoryEntry =
  | { at: string; by: string; action: 'register'; model: string; version: string; reason?: string }
  | {
      at: string;
      by: string;
      action: 'promote' | 'rollback';
      model: string;
      alias: string;
      from: string | null;
      to: string;
      reason: string;
    };

export interface RegistryDocument {
  format_version: number;
  models: Record<string, RegisteredModel>;
  history: HistoryEntry[];
  [key: string]: unknown;
}

export class RegistryError extends Error {
  readonly file: string | null;
  constructor(message: string, file: string | null = null) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'RegistryError';
    this.file = file;
  }
}

export function registryPath(modelsDir: string): string {
  return path.resolve(modelsDir, REGISTRY_FILE);
}

function checkDocument(document: unknown, file: string): RegistryDocument {
  if (!isPlainObject(document)) throw new RegistryError('must be a JSON object', file);
  if (document.format_version !== REGISTRY_FORMAT_VERSION) {
    throw new RegistryError(
      `format_version must be ${REGISTRY_FORMAT_VERSION}, got ${JSON.stringify(document.format_version)}`,
      file,
    );
  }
  if (!isPlainObject(document.models)) throw new RegistryError('"models" must be an object', file);
  for (const [name, model] of Object.entries(document.models)) {
    if (!isPlainObject(model) || !isPlainObject(model.versions) || !isPlainObject(model.aliases)) {
      throw new RegistryError(`models.${name} must have "versions" and "aliases" objects`, file);
    }
    for (const [version, entry] of Object.entries(model.versions)) {
      if (!isPlainObject(entry) || typeof entry.path !== 'string' || entry.path === '') {
        throw new RegistryError(`models.${name}.versions.${version}.path must be a folder name`, file);
      }
    }
    for (const [alias, version] of Object.entries(model.aliases)) {
      if (typeof version !== 'string' || !(version in model.versions)) {
        throw new RegistryError(
          `models.${name}.aliases.${alias} points to unknown version ${JSON.stringify(version)}`,
          file,
        );
      }
    }
  }
  if (document.history !== undefined && !Array.isArray(document.history)) {
    throw new RegistryError('"history" must be an array', file);
  }
  return { ...document, history: (document.history as HistoryEntry[] | undefined) ?? [] } as RegistryDocument;
}

/** Reads and checks the registry; a missing or malformed file is a RegistryError naming it. */
export async function readRegistry(modelsDir: string): Promise<RegistryDocument> {
  const file = registryPath(modelsDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RegistryError(code === 'ENOENT' ? 'file is missing' : `cannot be read (${code ?? String(error)})`, file);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new RegistryError(`is not valid JSON (${(error as Error).message})`, file);
  }
  return checkDocument(document, file);
}

/** Replaces the registry atomically: temporary file in the same folder, fsync, rename over the old one. */
export async function writeRegistry(modelsDir: string, document: RegistryDocument): Promise<void> {
  const file = registryPath(modelsDir);
  checkDocument(document, file);
  const temporary = path.join(path.dirname(file), `.${REGISTRY_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
