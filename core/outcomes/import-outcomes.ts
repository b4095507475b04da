/**
 * `vigie labels import` and the Sources page's outcome import: streams a .csv or .jsonl file (optionally .gz) line by
 * line with bounded memory, quarantines lines it cannot use with their reason, and writes outcomes in batches through
 * the OutcomeTarget, which reports duplicates, conflicts and outcomes with no prediction yet. Re-importing a file
 * inserts nothing new (every outcome is then a duplicate).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { hashFile } from '../ingest/file-hash.ts';
import {
  parseCsvOutcome,
  parseJsonOutcome,
  splitCsvLine,
  type LineContext,
  type OutcomeParse,
} from './outcome-line.ts';
import type {
  OutcomeConflict,
  OutcomeKey,
  OutcomeLineReason,
  OutcomeQuarantine,
  OutcomeRow,
  OutcomeTarget,
  UnmatchedOutcome,
} from './target.ts';

export class OutcomeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutcomeInputError';
  }
}

export interface OutcomeImportOptions {
  /** The column outcomes are keyed by. @default 'request_id' */
  key?: OutcomeKey;
  /** The API's hash key (read from its file), required with key SK_ID_CURR. */
  hashKey?: string | null;
  /** Lines per store transaction. @default 5000 */
  batchLines?: number;
  /** Conflicts and unmatched outcomes listed in the summary (all are counted). @default 100 */
  listLimit?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { lines: number; bytesDone: number; bytesTotal: number }) => void;
}

export interface OutcomeImportSummary {
  file: string;
  key: OutcomeKey;
  importId: number;
  lines: number;
  inserted: number;
  duplicates: number;
  conflicts: number;
  unmatched: number;
  quarantined: number;
  byReason: Partial<Record<OutcomeLineReason, number>>;
  /** The first `listLimit` of each; request ids or applicant references (hashes), never raw SK_ID_CURR. */
  conflictList: OutcomeConflict[];
  unmatchedList: UnmatchedOutcome[];
  aborted: boolean;
}

const FORMATS = [/\.csv(\.gz)?$/i, /\.jsonl(\.gz)?$/i];

function formatOf(file: string): 'csv' | 'jsonl' {
  if (FORMATS[0]!.test(file)) return 'csv';
  if (FORMATS[1]!.test(file)) return 'jsonl';
  throw new OutcomeInputError(`${file}: an outcomes file must end in .csv or .jsonl (optionally .gz)`);
}

export async function importOutcomes(
  target: OutcomeTarget,
  file: string,
  options: OutcomeImportOptions = {},
): Promise<OutcomeImportSummary> {
  const key = options.key ?? 'request_id';
  const format = formatOf(file);
  const info = await stat(file).catch(() => null);
  if (!info) throw new OutcomeInputError(`${file}: no such file`);
  if (!info.isFile()) throw new OutcomeInputError(`${file}: is not a file`);
  if (key === 'SK_ID_CURR' && !options.hashKey) {
    throw new OutcomeInputError('outcomes keyed by SK_ID_CURR need the API hash key file (--hash-key-file)');
  }
  const context: LineContext = { key, hashKey: options.hashKey ?? null };
  const importId = target.beginOutcomeImport({ location: file, sha256: await hashFile(file), size: info.size, key });
  const batchLines = options.batchLines ?? 5000;
  const listLimit = options.listLimit ?? 100;
  const summary: OutcomeImportSummary = {
    file,
    key,
    importId,
    lines: 0,
    inserted: 0,
    duplicates: 0,
    conflicts: 0,
    unmatched: 0,
    quarantined: 0,
    byReason: {},
    conflictList: [],
    unmatchedList: [],
    aborted: false,
  };
  let rows: OutcomeRow[] = [];
  let bad: OutcomeQuarantine[] = [];
  const flush = () => {
    if (rows.length === 0 && bad.length === 0) return;
    const result = target.writeOutcomes(importId, rows, bad);
    summary.inserted += result.inserted;
    summary.duplicates += result.duplicates;
    summary.conflicts += result.conflicts.length;
    summary.unmatched += result.unmatched.length;
    summary.quarantined += bad.length;
    for (const entry of bad) summary.byReason[entry.reason] = (summary.byReason[entry.reason] ?? 0) + 1;
    summary.conflictList.push(...result.conflicts.slice(0, listLimit - summary.conflictList.length));
    summary.unmatchedList.push(...result.unmatched.slice(0, listLimit - summary.unmatchedList.length));
    rows = [];
    bad = [];
  };

  const raw = createReadStream(file);
  let bytesDone = 0;
  raw.on('data', (chunk) => {
    bytesDone += chunk.length;
  });
  const input = /\.gz$/i.test(file) ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let header: string[] | null = null;
  let lineNo = 0;
  try {
    for await (const text of lines) {
      lineNo += 1;
      if (options.signal?.aborted) {
        summary.aborted = true;
        break;
      }
      const line = lineNo === 1 ? text.replace(/^\uFEFF/, '') : text;
      if (line.trim() === '') continue;
      summary.lines += 1;
      let parsed: OutcomeParse;
      if (format === 'csv' && header === null) {
        header = splitCsvLine(line);
        if (!header.includes(key) || !header.includes('TARGET') || !header.includes('observed_at')) {
          throw new OutcomeInputError(
            `${file}: the header must name ${key}, TARGET and observed_at (it names ${header.join(', ')})`,
          );
        }
        continue;
      }
      if (format === 'csv') parsed = parseCsvOutcome(splitCsvLine(line), header!, lineNo, context);
      else parsed = parseJsonOutcome(line, lineNo, context);
      if (parsed.ok) rows.push(parsed.row);
      else bad.push(parsed.bad);
      if (rows.length + bad.length >= batchLines) {
        flush();
        options.onProgress?.({ lines: summary.lines, bytesDone, bytesTotal: info.size });
      }
    }
    flush();
    target.finishOutcomeImport(importId, summary.aborted ? 'failed' : 'complete', summary.aborted ? 'cancelled' : null);
  } catch (error) {
    target.finishOutcomeImport(importId, 'failed', error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    lines.close();
    raw.destroy();
  }
  options.onProgress?.({ lines: summary.lines, bytesDone: info.size, bytesTotal: info.size });
  return summary;
}
