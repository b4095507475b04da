export {
  readRegistry,
  registryPath,
  writeRegistry,
  RegistryError,
  REGISTRY_FILE,
  type HistoryEntry,
  type RegisteredModel,
  type RegistryDocument,
  type VersionEntry,
} from './registry-file.ts';
export { pickModel, resolveModel, versionOf, type ResolvedModel } from './resolve-model.ts';
export { promote, rollback, rollbackTarget, type AliasChange, type AliasHistoryEntry } from './alias-actions.ts';
export { costCurve, readModelCard } from './model-card.ts';
export type { AliasHistoryView, ModelsOverview, ModelVersionView } from './model-card-types.ts';
