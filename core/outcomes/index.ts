export { HashKeyError, pseudonymise, readHashKeyFile } from './hash-key.ts';
export {
  importOutcomes,
  OutcomeInputError,
  type OutcomeImportOptions,
  type OutcomeImportSummary,
} from './import-outcomes.ts';
export {
  OUTCOME_LINE_REASONS,
  type OutcomeBatchResult,
  type OutcomeConflict,
  type OutcomeFile,
  type OutcomeKey,
  type OutcomeLineReason,
  type OutcomeQuarantine,
  type OutcomeRow,
  type OutcomeTarget,
  type UnmatchedOutcome,
} from './target.ts';
