export { isPlainObject } from './plain-object.ts';
export {
  compileInputSchema,
  SchemaError,
  type Applicant,
  type FieldKind,
  type FieldSpec,
  type InputSchema,
  type IssueCode,
  type ValidationIssue,
  type ValidationResult,
} from './input-schema.ts';
export {
  parseLogLine,
  formatLogLine,
  logFileName,
  LOG_FILE_PATTERN,
  LOG_FORMAT_VERSION,
  LOG_LINE_REASONS,
  LOG_STATUSES,
  MAX_LOG_LINE_LENGTH,
  type LogLineReason,
  type LogLineResult,
  type LogRecord,
  type LogStatus,
  type ServedBy,
} from './log-record.ts';
export { loadModelPackage, PackageError, PACKAGE_FILES, type ModelPackage, type OutputSpec } from './model-package.ts';
export {
  parseReferenceProfile,
  ProfileError,
  type CategoryProfile,
  type FieldProfile,
  type NumberProfile,
  type ReferenceProfile,
} from './reference-profile.ts';
