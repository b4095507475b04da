/**
 * Imports log records that are already objects (the simulator's traffic, the console's "Load demo data") through
 * the same checks as a file: each record is read exactly as its log line would be, so a record imported here and
 * the same record imported from a file give the same store.
 */
import { formatLogLine, type LogRecord } from '../contract/index.ts';
import { BatchCollector } from './batch-collector.ts';
import { DEFAULT_BATCH_SIZE } from './log-batches.ts';
import { newOutcome, RunState, type IngestOptions } from './run-state.ts';
import type { IngestSummary } from './summary.ts';
import type { IngestTarget } from './target.ts';

/**
 * `sourceName` names the generator source (e.g. "simulate:stable:seed=42"); records are numbered after those it
 * already delivered, so quarantined ones keep distinct line numbers across calls.
 */
export async function ingestRecords(
  target: IngestTarget,
  records: Iterable<LogRecord> | AsyncIterable<LogRecord>,
  sourceName: string,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const state = new RunState(target, options);
  const source = target.openNamedSource('generator', sourceName);
  const outcome = newOutcome(sourceName);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const collector = new BatchCollector(0);
  let lineNo = source.lines;
  state.summary.files = 1;
  for await (const record of records) {
    if (state.aborted) break;
    const line = formatLogLine(record);
    collector.line(line.slice(0, -1), ++lineNo);
    if (collector.lines >= batchSize) state.write(source.id, outcome, collector.take(), 0);
  }
  if (!state.aborted && collector.lines > 0) state.write(source.id, outcome, collector.take(), 0);
  if (state.aborted) outcome.status = 'partial';
  else target.setSourceStatus(source.id, 'complete');
  state.summary.sources.push(outcome);
  return state.finish('records');
}
