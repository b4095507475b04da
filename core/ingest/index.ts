export { ingestPaths } from './ingest-files.ts';
export { ingestRecords } from './ingest-records.ts';
export { IngestInputError, listLogFiles } from './file-list.ts';
export { QUARANTINE_REASONS, type QuarantineReason } from './batch-collector.ts';
export { MAX_EXCERPT_BYTES } from './excerpt.ts';
export { FLAT_COLUMNS, flattenRecord, type FlatRow } from './flat-record.ts';
export { APPLICANT_COLUMNS } from './applicant-columns.ts';
export type { IngestOptions } from './run-state.ts';
export type { IngestProgress, IngestSummary, SourceOutcome } from './summary.ts';
export type {
  ImportRun,
  IngestTarget,
  QuarantineEntry,
  SourceKind,
  SourceRow,
  SourceStatus,
  WriteBatch,
} from './target.ts';
export { logsEndpoint, MAX_PAGE_SIZE, PullError, pullLogs, type PullOptions } from './pull.ts';
export {
  ingestObjectStore,
  objectLocation,
  ObjectStoreError,
  type Credentials,
  type ObjectStoreImportOptions,
  type ObjectStoreLocation,
  type StoredObject,
} from './ingest-object-store.ts';
