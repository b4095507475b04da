export {
  analyzeDrift,
  firstDriftedWindows,
  type DriftAnalysis,
  type DriftInput,
  type WindowDrift,
  type WindowField,
} from './analyze-drift.ts';
export {
  autoPreference,
  decide,
  SMALL_REFERENCE,
  VOTES,
  driftConfig,
  DEFAULT_CATEGORY_METHODS,
  DEFAULT_NUMBER_METHODS,
  type DriftConfig,
  type Vote,
} from './config.ts';
export { CsvError, openCsvFile, parseNumberCell, readCsvColumns, readCsvFile, type CsvColumns } from './csv-columns.ts';
export type { DataQuality, Distribution, FieldDrift } from './field-drift.ts';
export {
  driftFields,
  DriftInputError,
  IDENTIFIER_FIELDS,
  loadPackageReference,
  referenceFromColumns,
  type DriftReference,
  type CategoryReference,
  type FieldReference,
  type NumberReference,
} from './reference.ts';
export { sortedPresent } from './sort-numbers.ts';
export { analyzeDriftInParallel, PARALLEL_MIN_RECORDS } from './parallel-drift.ts';
export { DriftHelper } from './drift-helper.ts';
export { sliceWindows, windowStart, WINDOW_SIZES, type WindowSize } from './windows.ts';
export { driftToJson, DRIFT_JSON_FORMAT_VERSION } from './to-json.ts';
export {
  addSketch,
  emptySketch,
  HOUR_MS,
  sketchByHour,
  sketchRecords,
  sumSketches,
  type DriftSketch,
} from './sketch.ts';
export { sketchDrift, SKETCH_METHODS, type SketchDriftAnalysis, type SketchWindow } from './sketch-drift.ts';
export { sketchFields, sketchLayout, SKETCH_FORMAT, type SketchLayout } from './sketch-layout.ts';
export { completeSketchDrift } from './sketch-merge.ts';
export { profileReference } from './sketch-reference.ts';
