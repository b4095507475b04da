/** Wire types of the Models and Profiling pages (registry, alias changes, profiling runs, the optimisation report). */
import type { ApiSplitHour, PeriodCost } from '../core/profiling/api-split.ts';
import type { OptimisationReport } from '../core/profiling/optimisation-report.ts';
import type {
  AliasHistoryView,
  CalibrationBin,
  ModelsOverview,
  ModelVersionView,
  SegmentFigures,
} from '../core/registry/model-card-types.ts';
import type {
  GraphOptimizationLevel,
  MachineInfo,
  Prices,
  ProfileResult,
  ProviderInfo,
} from '../core/profiling/types.ts';

export type {
  ApiSplitHour,
  GraphOptimizationLevel,
  MachineInfo,
  OptimisationReport,
  PeriodCost,
  Prices,
  ProfileResult,
  ProviderInfo,
};

export type { AliasHistoryView, CalibrationBin, ModelVersionView, SegmentFigures };
export type ModelsResult = ModelsOverview;

export interface AliasChangeInput {
  action: 'promote' | 'rollback';
  model?: string;
  alias: string;
  /** Required for a promotion. */
  version?: string;
  reason: string;
  by?: string;
}

export interface ProfileRunInput {
  models: string[];
  providers: string[];
  batchSizes: number[];
  workers: number[];
  graphOptimizationLevels?: GraphOptimizationLevel[];
  intraOpThreads?: number;
  durationS?: number;
  prices?: Prices;
}

export interface SavedProfileRun {
  id: string;
  startedAt: string;
  finishedAt: string;
  models: string;
  providers: string;
  cpuModel: string;
  loadAverage: number;
}

export interface ProfileRunView {
  id: string;
  result: ProfileResult;
  report: OptimisationReport;
}
