export { replay, fromShadowLogs, type ReplayOptions, type ReplayProgress, type ShadowLogOptions } from './replay.ts';
export { renderReplayHtml } from './render-html.ts';
export { SEGMENT_FIELDS, ageBand } from './segments.ts';
export { rocAuc, COST_FALSE_NEGATIVE, COST_FALSE_POSITIVE } from './outcomes.ts';
export { pairedChangeCi } from './comparison.ts';
export type { LoggedShadow, ReplayBatch, ReplayFilter, ReplayReadOptions, ReplaySource } from './source.ts';
export type * from './types.ts';
