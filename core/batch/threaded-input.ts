/**
 * `readOfflineInput` on a worker thread (parse-worker.ts): the same rows, lines and errors, but the gunzip and CSV or
 * JSON parsing run beside the scoring thread instead of on it — for 1 000 000 CSV rows, parsing was most of the
 * scoring thread's time.
 */
import { InvalidRow, type InputFormat, type InputReader, type InputRow } from '../engine/index.ts';
import type { InputSchema } from '../contract/index.ts';
import { spawnWorker } from '../runtime/index.ts';
import type { ParseJob, ParseMessage } from './parse-worker.ts';

export function readOfflineInputThreaded(file: string, format: InputFormat, schema: InputSchema): InputReader {
  let bytesRead = 0;
  let ignored: string[] = [];
  async function* rows(): AsyncGenerator<InputRow> {
    const worker = spawnWorker(new URL('./parse-worker.ts', import.meta.url), {
      workerData: { file, format, schema: schema.document } satisfies ParseJob,
    });
    const queue: ParseMessage[] = [];
    let notify: (() => void) | null = null;
    const push = (message: ParseMessage) => {
      queue.push(message);
      notify?.();
      notify = null;
    };
    worker.on('message', push);
    worker.on('error', (error: Error) => push({ type: 'error', message: error.message }));
    worker.on('exit', (code) => push({ type: 'error', message: `the file reader thread stopped (exit code ${code})` }));
    try {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((resolve) => (notify = resolve));
        const message = queue.shift()!;
        if (message.type === 'error') throw new Error(message.message);
        bytesRead = message.bytesRead;
        ignored = message.ignored;
        if (message.type === 'done') return;
        worker.postMessage('ack');
        for (const row of message.rows) {
          yield 'invalid' in row ? { line: row.line, value: new InvalidRow(row.invalid) } : row;
        }
      }
    } finally {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }
  return { rows: rows(), bytesRead: () => bytesRead, ignoredColumns: () => [...ignored] };
}
