export { createEngine } from './create-engine.ts';
export { InvalidRow, scoreStream } from './score-stream.ts';
export { profileModel, type BatchFigures, type ModelProfile, type ProfileOptions } from './profile-model.ts';
export { formatOf, readOfflineInput, type InputFormat, type InputReader, type InputRow } from './offline-input.ts';
export { RULE_MODEL, RULE_THRESHOLD } from './conservative-rule.ts';
export {
  ColumnsError,
  columnsFromApplicants,
  sliceColumns,
  type CategoryCodes,
  type ScoringColumns,
} from './typed-columns.ts';
export { SERVED_BY_CODES } from './types.ts';
export { EngineClosedError, EngineLoadError, ModelCallError, OverloadedError } from './errors.ts';
export type {
  BatchEvent,
  StageTimings,
  BreakerOptions,
  BreakerState,
  ColumnAnswerer,
  ColumnScores,
  Decision,
  EngineDescription,
  EngineObserver,
  EngineOptions,
  GraphOptimizationLevel,
  EngineStats,
  ModelDescription,
  ModelRef,
  ModelRole,
  OfflineOptions,
  OfflineOutcome,
  OfflineProgress,
  ProviderSkip,
  RowError,
  ScoreOptions,
  ScoreResult,
  ScoringEngine,
  ServedBy,
} from './types.ts';
