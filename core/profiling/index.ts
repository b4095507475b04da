export { runProfile, type RunOptions } from './run-profile.ts';
export { listProviders, KNOWN_PROVIDERS, GPU_PROVIDERS } from './providers.ts';
export { machineInfo } from './machine.ts';
export { costPer1000 } from './cost.ts';
export { rocAuc, SEGMENT_FIELDS } from './accuracy.ts';
export { periodCost, type ApiSplitHour, type ApiSplitSource, type PeriodCost } from './api-split.ts';
export {
  buildOptimisationReport,
  TOLERANCES,
  type AccuracyCheck,
  type OptimisationReport,
  type StrategyResult,
} from './optimisation-report.ts';
export { renderOptimisationHtml } from './report-html.ts';
export {
  DEFAULT_PRICES,
  type AccuracyFigures,
  type GraphOptimizationLevel,
  type CellAccuracy,
  type MachineInfo,
  type Prices,
  type ProfileProgress,
  type ProfileRequest,
  type ProfileResult,
  type ProfileRow,
  type ProviderInfo,
  type StageSplit,
} from './types.ts';
