/** The Models page: the registry with each version's card, and promotions / rollbacks through core/registry's lock. */
import os from 'node:os';
import path from 'node:path';
import { PackageError } from '../../../core/contract/index.ts';
import {
  promote,
  readModelCard,
  readRegistry,
  RegistryError,
  rollback,
  rollbackTarget,
  type AliasHistoryView,
} from '../../../core/registry/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';

/** docs/decisions/1200-api-reload-rule.md */
export const RELOAD_RULE =
  'A running scoring API keeps serving the champion and fallback it loaded and warmed at start-up. Restart it (a rolling restart with several replicas) to serve the new alias targets; the console and new CLI commands see the change at once.';

function registryFailure(error: unknown): never {
  if (error instanceof RegistryError) {
    if (error.message.includes('another registry change is in progress'))
      throw new ConsoleError('BUSY', 'registry change');
    throw new ConsoleError('INVALID_INPUT', error.message.replace(/^[^:]*registry\.json: /, 'models/registry.json: '));
  }
  if (error instanceof PackageError) throw new ConsoleError('INVALID_INPUT', error.message);
  throw error;
}

function historyView(entry: Awaited<ReturnType<typeof readRegistry>>['history'][number]): AliasHistoryView {
  return entry.action === 'register'
    ? {
        at: entry.at,
        by: entry.by,
        action: 'register',
        model: entry.model,
        alias: null,
        from: null,
        to: entry.version,
        reason: entry.reason ?? null,
      }
    : {
        at: entry.at,
        by: entry.by,
        action: entry.action,
        model: entry.model,
        alias: entry.alias,
        from: entry.from,
        to: entry.to,
        reason: entry.reason,
      };
}

export async function listModels(services: Services): Promise<MethodOutput<'listModels'>> {
  const modelsDir = services.config.modelsDir;
  const registry = await readRegistry(modelsDir).catch(registryFailure);
  const versions: MethodOutput<'listModels'>['versions'] = [];
  const rollbackTargets: Record<string, Record<string, string | null>> = {};
  for (const [name, model] of Object.entries(registry.models)) {
    rollbackTargets[name] = Object.fromEntries(
      Object.keys(model.aliases).map((alias) => [alias, rollbackTarget(registry, name, alias)]),
    );
    for (const [version, entry] of Object.entries(model.versions)) {
      const aliases = Object.entries(model.aliases)
        .filter(([, target]) => target === version)
        .map(([alias]) => alias);
      const card = await readModelCard(path.resolve(modelsDir, entry.path), {
        name,
        version,
        aliases,
        description: entry.description,
      }).catch(registryFailure);
      versions.push(card);
    }
  }
  return { versions, history: registry.history.map(historyView), rollbackTargets, reloadRule: RELOAD_RULE };
}

function consoleUser(): string {
  try {
    return `${os.userInfo().username} (console)`;
  } catch {
    return 'console';
  }
}

export async function changeAlias(
  services: Services,
  input: MethodInput<'changeAlias'>,
): Promise<MethodOutput<'changeAlias'>> {
  const change = {
    modelsDir: services.config.modelsDir,
    model: input.model,
    alias: input.alias,
    reason: input.reason.trim(),
    by: input.by ?? consoleUser(),
  };
  const entry =
    input.action === 'promote'
      ? await promote({ ...change, version: input.version! }).catch(registryFailure)
      : await rollback(change).catch(registryFailure);
  if (entry.alias === 'champion') {
    // Drift compares against the champion's reference profile: the console follows the alias at once.
    services.reference.forget();
    services.invalidate();
  }
  return historyView(entry);
}
