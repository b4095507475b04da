import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readRegistry, RegistryError, type RegistryDocument, type RegisteredModel } from './registry-file.ts';

export interface ResolvedModel {
  /** Absolute package directory. */
  dir: string;
  /** Registered model name, or null for a bare directory. */
  name: string | null;
  version: string | null;
  /** The alias the reference named, or null (a version or a directory). */
  alias: string | null;
}

async function isPackageDir(candidate: string): Promise<boolean> {
  try {
    return (await stat(path.join(candidate, 'MLmodel'))).isFile();
  } catch {
    return false;
  }
}

/** Picks the registered model a reference is about: `name/ref`, or the only model in the registry. */
export function pickModel(
  registry: RegistryDocument,
  ref: string,
): { name: string; model: RegisteredModel; ref: string } {
  const names = Object.keys(registry.models);
  const slash = ref.lastIndexOf('/');
  if (slash > 0 && registry.models[ref.slice(0, slash)]) {
    const name = ref.slice(0, slash);
    return { name, model: registry.models[name]!, ref: ref.slice(slash + 1) };
  }
  if (names.length === 1) return { name: names[0]!, model: registry.models[names[0]!]!, ref };
  if (names.length === 0) throw new RegistryError('the registry has no models');
  throw new RegistryError(`the registry holds several models (${names.join(', ')}): write <model>/${ref}`);
}

/** The version an alias or version reference names within one model, with the alias when it was one. */
export function versionOf(model: RegisteredModel, ref: string): { version: string; alias: string | null } | null {
  if (Object.prototype.hasOwnProperty.call(model.aliases, ref)) return { version: model.aliases[ref]!, alias: ref };
  if (Object.prototype.hasOwnProperty.call(model.versions, ref)) return { version: ref, alias: null };
  return null;
}

/**
 * Resolves `champion`, `3`, `credit-default/champion` through the registry, or a path to a package directory.
 * A directory wins when it exists, so `models/credit-default/1` works without the registry.
 */
export async function resolveModel(modelsDir: string, ref: string): Promise<ResolvedModel> {
  if (ref.trim() === '') throw new RegistryError('the model reference is empty');
  if (await isPackageDir(path.resolve(ref))) return { dir: path.resolve(ref), name: null, version: null, alias: null };
  const registry = await readRegistry(modelsDir);
  const { name, model, ref: local } = pickModel(registry, ref);
  const found = versionOf(model, local);
  if (!found) {
    const aliases = Object.keys(model.aliases).join(', ') || 'none';
    const versions = Object.keys(model.versions).join(', ') || 'none';
    throw new RegistryError(
      `unknown model "${ref}": not a package directory, an alias of ${name} (${aliases}) or one of its versions (${versions})`,
    );
  }
  const entry = model.versions[found.version]!;
  return { dir: path.resolve(modelsDir, entry.path), name, version: found.version, alias: found.alias };
}
