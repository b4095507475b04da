/**
 * Splits a byte stream into lines without decoding it twice: complete lines of a chunk are checked as UTF-8 in one
 * native call and decoded as one string, then cut at "\n". Handles a UTF-8 byte order mark, CRLF, invalid UTF-8
 * (reported per line) and runaway lines (reported once, memory stays bounded).
 */
import { isUtf8 } from 'node:buffer';
import { MAX_LOG_LINE_LENGTH } from '../contract/index.ts';
import { excerpt } from './excerpt.ts';

export interface LineHandler {
  /** A decoded line (no "\n", no trailing "\r"), possibly blank; lineNo is 1-based. */
  line(text: string, lineNo: number): void;
  /** A line that cannot be decoded or is too long to hold. */
  badLine(lineNo: number, reason: 'invalid_utf8' | 'line_too_long', detail: string, excerpt: string): void;
  /**
   * Complete lines as bytes, each ending with "\n", valid UTF-8 as a whole, the first numbered `firstLineNo`; answers
   * how many lines they held. A handler without it gets each as `line`.
   */
  lineBytes?(bytes: Buffer, firstLineNo: number): number;
}

const NEWLINE = 0x0a;
/** A line longer than this many bytes is certainly over MAX_LOG_LINE_LENGTH characters: drop it as it streams. */
export const MAX_LINE_BYTES = MAX_LOG_LINE_LENGTH * 4;

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lineNo: number;
  private atStart = true;
  /** Set while the rest of an over-long line is being skipped. */
  private skipping = false;

  /** `firstLineNo`: the number of the first line, for a stream that continues an earlier one. @default 1 */
  constructor(
    private readonly handler: LineHandler,
    firstLineNo = 1,
  ) {
    this.lineNo = firstLineNo - 1;
  }

  get linesSeen(): number {
    return this.lineNo;
  }

  push(chunk: Buffer): void {
    if (this.atStart) {
      if (chunk.length === 0) return;
      this.atStart = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const first = chunk.indexOf(NEWLINE);
    if (first < 0) {
      this.hold(chunk);
      return;
    }
    this.hold(chunk.subarray(0, first));
    this.flushPending();
    const last = chunk.lastIndexOf(NEWLINE);
    if (last > first) this.region(chunk.subarray(first + 1, last + 1));
    if (last + 1 < chunk.length) this.hold(chunk.subarray(last + 1));
  }

  /** Ends the stream: a last line without "\n" is still a line. */
  end(): void {
    if (this.pendingBytes > 0 || this.skipping) this.flushPending();
    this.pending = [];
  }

  private hold(bytes: Buffer): void {
    if (this.skipping || bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > MAX_LINE_BYTES) {
      const head = Buffer.concat(this.pending).subarray(0, 2048).toString('utf8');
      this.handler.badLine(
        this.lineNo + 1,
        'line_too_long',
        `the line is longer than ${MAX_LINE_BYTES} bytes`,
        excerpt(head),
      );
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
    }
  }

  /** Emits the held bytes as one line (the line the next "\n" ends). */
  private flushPending(): void {
    if (this.skipping) {
      // The over-long line was already reported under its number.
      this.skipping = false;
      this.lineNo++;
      return;
    }
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(bytes);
  }

  private emit(bytes: Buffer): void {
    this.lineNo++;
    if (!isUtf8(bytes)) {
      this.handler.badLine(
        this.lineNo,
        'invalid_utf8',
        'the line is not valid UTF-8',
        excerpt(bytes.subarray(0, 2048).toString('utf8')),
      );
      return;
    }
    const text = bytes.toString('utf8');
    this.handler.line(text.endsWith('\r') ? text.slice(0, -1) : text, this.lineNo);
  }

  /** Complete lines, each ending with "\n". */
  private region(bytes: Buffer): void {
    if (!isUtf8(bytes)) {
      let start = 0;
      while (start < bytes.length) {
        const end = bytes.indexOf(NEWLINE, start);
        this.emit(bytes.subarray(start, end));
        start = end + 1;
      }
      return;
    }
    const handler = this.handler;
    if (handler.lineBytes) {
      this.lineNo += handler.lineBytes(bytes, this.lineNo + 1);
      return;
    }
    const text = bytes.toString('utf8');
    let start = 0;
    while (start < text.length) {
      const end = text.indexOf('\n', start);
      this.lineNo++;
      const cut = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      handler.line(text.slice(start, cut), this.lineNo);
      start = end + 1;
    }
  }
}
