export { openStore, Store, type StoreOptions } from './store.ts';
export { StoreError } from './errors.ts';
export { APPLICANT_COLUMNS } from '../core/ingest/applicant-columns.ts';
export { MIGRATIONS_DIR, readMigrations } from './migrate.ts';
export { DriftSketchTable, epochHour, openSketchWriter, type StoredSketch } from './drift-sketch.ts';
export type { AnalysisResultRow, ImportRunRow, Label, QuarantinePage, QuarantineRow } from './catalog.ts';
export {
  MAX_BUCKETS,
  type BucketSize,
  type BucketStats,
  type ModelInTraffic,
  type OverviewQuery,
  type OverviewResult,
  type TrafficStats,
} from './overview.ts';

/** Where `vigie ingest`, `vigie pull` and the console keep the log store unless told otherwise (relative to the cwd). */
export const DEFAULT_STORE_PATH = 'var/vigie.sqlite';
export { ProfileRunTable, type SavedRunSummary } from './profile-runs.ts';
export { OutcomeTable, type LabelImportRow } from './outcome-table.ts';
export { AlertTable, type DeliveryRow } from './alert-table.ts';
