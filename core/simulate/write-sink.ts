import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Text goes out in chunks of about this size: large enough to amortise write calls, small enough to stay bounded. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Buffers text and writes it in chunks, waiting for 'drain' when the stream asks (backpressure), so memory stays
 * bounded however many rows are written. A stream error rejects the next `flush()` or `end()`.
 */
export class WriteSink {
  private pending = '';
  private failure: Error | null = null;

  constructor(private readonly stream: Writable) {
    stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  /** Adds text; returns true when a chunk is due and `flush()` should be awaited. */
  append(text: string): boolean {
    this.pending += text;
    return this.pending.length >= CHUNK_CHARS;
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0) return;
    const chunk = this.pending;
    this.pending = '';
    if (!this.stream.write(chunk)) await this.drained();
  }

  /** Flushes, ends the stream and waits until everything is written (or the stream fails). */
  async end(): Promise<void> {
    await this.flush();
    const finished = new Promise<void>((resolve, reject) => {
      this.stream.once('finish', resolve);
      this.stream.once('error', reject);
    });
    this.stream.end();
    await finished;
    if (this.failure) throw this.failure;
  }

  /** Abandons the stream (after a failure elsewhere); a no-op once it has finished. */
  destroy(): void {
    if (!this.stream.writableFinished) this.stream.destroy();
  }

  private async drained(): Promise<void> {
    const abort = new AbortController();
    const failed = once(this.stream, 'error', { signal: abort.signal });
    try {
      await Promise.race([once(this.stream, 'drain', { signal: abort.signal }), failed]);
    } finally {
      abort.abort();
    }
    if (this.failure) throw this.failure;
  }
}
