/**
 * Turns split lines into what one store transaction writes: flattened records and quarantined lines with their
 * reason (parseLogLine's, plus the splitter's invalid_utf8 / line_too_long), and the count of lines consumed.
 */
import { LOG_LINE_REASONS, MAX_LOG_LINE_LENGTH, parseLogLine } from '../contract/index.ts';
import { canonicalRow } from './canonical-record.ts';
import { excerpt } from './excerpt.ts';
import { flattenRecord, type FlatRow } from './flat-record.ts';
import { lineScanner } from './line-scanner.ts';
import type { LineHandler } from './line-splitter.ts';
import type { QuarantineEntry, RowSink } from './target.ts';

/** Every reason a line can be quarantined for: the log parser's, plus a line that is not UTF-8. */
export const QUARANTINE_REASONS = [...LOG_LINE_REASONS, 'invalid_utf8'] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class BatchCollector implements LineHandler {
  /** The records read since the last take; always empty with a sink, which takes each record as it is read. */
  rows: FlatRow[] = [];
  quarantined: QuarantineEntry[] = [];
  lines = 0;
  /** The array the scanner writes each row into when a sink takes them (it keeps none). */
  private readonly scratch: FlatRow | undefined;

  constructor(
    private readonly skipLines: number,
    private readonly sink?: RowSink,
  ) {
    if (sink) this.scratch = [];
  }

  private push(row: FlatRow): void {
    if (this.sink) this.sink.addRow(row);
    else this.rows.push(row);
  }

  line(text: string, lineNo: number): void {
    if (lineNo <= this.skipLines) return;
    this.lines++;
    // Blank lines separate nothing and mean nothing: counted, not quarantined.
    if (text.charCodeAt(0) !== 123 && text.trim().length === 0) return;
    if (text.length <= MAX_LOG_LINE_LENGTH) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined; // parseLogLine says why.
      }
      const row = canonicalRow(parsed);
      if (row) {
        this.push(row);
        return;
      }
    }
    this.parseRecord(text, lineNo);
  }

  /** A line that is not in the canonical shape: parseLogLine gives its row or its quarantine reason. */
  private parseRecord(text: string, lineNo: number): void {
    const result = parseLogLine(text);
    if (result.ok) this.push(flattenRecord(result.record));
    else this.quarantined.push({ lineNo, reason: result.reason, detail: result.detail, excerpt: excerpt(text) });
  }

  /**
   * Lines as bytes (LineSplitter): a line in the API's canonical shape is read by the WebAssembly scanner, without
   * being decoded into a string first; any other is read as text, as before.
   */
  lineBytes(bytes: Buffer, firstLineNo: number): number {
    const scanner = lineScanner();
    if (scanner) scanner.load(bytes);
    let lineNo = firstLineNo - 1;
    for (let start = 0; start < bytes.length;) {
      const end = bytes.indexOf(NEWLINE, start);
      lineNo++;
      if (lineNo > this.skipLines) {
        const row =
          scanner && end - start <= MAX_LOG_LINE_LENGTH ? scanner.rowAt(start, end - start, this.scratch) : undefined;
        if (row) {
          this.lines++;
          this.push(row);
        } else if (row === null) {
          // Compact JSON that canonicalRow refuses (the scanner read it all, so no CR and not blank): parseLogLine
          // decides, as `line` would after its own JSON.parse and canonicalRow.
          this.lines++;
          this.parseRecord(bytes.toString('utf8', start, end), lineNo);
        } else {
          // Not the scanner's: read as text, as before.
          const cut = end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
          this.line(bytes.toString('utf8', start, cut), lineNo);
        }
      }
      start = end + 1;
    }
    return lineNo - firstLineNo + 1;
  }

  badLine(lineNo: number, reason: string, detail: string, text: string): void {
    if (lineNo <= this.skipLines) return;
    this.lines++;
    this.quarantined.push({ lineNo, reason, detail, excerpt: text });
  }

  take(): { rows: FlatRow[]; quarantined: QuarantineEntry[]; lines: number } {
    const batch = { rows: this.rows, quarantined: this.quarantined, lines: this.lines };
    this.rows = [];
    this.quarantined = [];
    this.lines = 0;
    return batch;
  }
}
