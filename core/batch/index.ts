export { scoreBatch, type BatchOptions, type BatchRow } from './score-batch.ts';
export { BatchSummariser, type BatchSummary, type InvalidRowReport } from './batch-summary.ts';
export { CSV_HEADER, formatScoredLine, type RowPosition, type ScoredFormat } from './scored-line.ts';
export { readOfflineInputThreaded } from './threaded-input.ts';
