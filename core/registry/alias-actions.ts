/** Promotion and rollback of an alias: the only registry changes a person makes, each recorded in the history. */
import {
  readRegistry,
  RegistryError,
  writeRegistry,
  type HistoryEntry,
  type RegistryDocument,
} from './registry-file.ts';
import { withRegistryLock } from './registry-lock.ts';
import { pickModel } from './resolve-model.ts';

export type AliasHistoryEntry = Extract<HistoryEntry, { action: 'promote' | 'rollback' }>;

export interface AliasChange {
  modelsDir: string;
  /** Model name; may be left out when the registry holds one model. */
  model?: string;
  alias: string;
  reason: string;
  by: string;
  /** @default new Date() */
  at?: Date;
}

function requireReason(reason: string): void {
  if (reason.trim() === '') throw new RegistryError('a reason is required for every promotion and rollback');
}

function locate(registry: RegistryDocument, change: AliasChange) {
  const { name, model } = pickModel(registry, change.model ? `${change.model}/${change.alias}` : change.alias);
  return { name, model };
}

/** Points `alias` at `version` and appends a `promote` record. */
export async function promote(change: AliasChange & { version: string }): Promise<AliasHistoryEntry> {
  requireReason(change.reason);
  return withRegistryLock(change.modelsDir, () => promoteLocked(change));
}

async function promoteLocked(change: AliasChange & { version: string }): Promise<AliasHistoryEntry> {
  const registry = await readRegistry(change.modelsDir);
  const { name, model } = locate(registry, change);
  if (!Object.prototype.hasOwnProperty.call(model.versions, change.version)) {
    throw new RegistryError(
      `${name} has no version "${change.version}" (versions: ${Object.keys(model.versions).join(', ')})`,
    );
  }
  const from = model.aliases[change.alias] ?? null;
  if (from === change.version) throw new RegistryError(`${change.alias} already points to version ${change.version}`);
  model.aliases[change.alias] = change.version;
  const entry: AliasHistoryEntry = {
    at: (change.at ?? new Date()).toISOString(),
    by: change.by,
    action: 'promote',
    model: name,
    alias: change.alias,
    from,
    to: change.version,
    reason: change.reason,
  };
  registry.history.push(entry);
  await writeRegistry(change.modelsDir, registry);
  return entry;
}

/**
 * The version an alias pointed to before its last promotion still in effect: promotions push the version they
 * replaced, rollbacks pop one, so repeated rollbacks keep walking back.
 */
export function rollbackTarget(registry: RegistryDocument, model: string, alias: string): string | null {
  const previous: Array<string | null> = [];
  for (const entry of registry.history) {
    if (entry.model !== model || entry.action === 'register' || entry.alias !== alias) continue;
    if (entry.action === 'promote') previous.push(entry.from);
    else previous.pop();
  }
  return previous.at(-1) ?? null;
}

/** Moves `alias` back to the version it pointed to before its last promotion and appends a `rollback` record. */
export async function rollback(change: AliasChange): Promise<AliasHistoryEntry> {
  requireReason(change.reason);
  return withRegistryLock(change.modelsDir, () => rollbackLocked(change));
}

async function rollbackLocked(change: AliasChange): Promise<AliasHistoryEntry> {
  const registry = await readRegistry(change.modelsDir);
  const { name, model } = locate(registry, change);
  const current = model.aliases[change.alias];
  if (current === undefined) throw new RegistryError(`${name} has no alias "${change.alias}"`);
  const target = rollbackTarget(registry, name, change.alias);
  if (target === null) throw new RegistryError(`${change.alias} has no earlier version to roll back to`);
  if (!Object.prototype.hasOwnProperty.call(model.versions, target)) {
    throw new RegistryError(`${change.alias} would roll back to version ${target}, which is no longer registered`);
  }
  model.aliases[change.alias] = target;
  const entry: AliasHistoryEntry = {
    at: (change.at ?? new Date()).toISOString(),
    by: change.by,
    action: 'rollback',
    model: name,
    alias: change.alias,
    from: current,
    to: target,
    reason: change.reason,
  };
  registry.history.push(entry);
  await writeRegistry(change.modelsDir, registry);
  return entry;
}
