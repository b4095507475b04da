/**
 * The drift helper: one worker thread on the second core for a whole `vigie drift` run. Started first, it loads while
 * the reference file is read, scans the second half of a large current file (csv-parts.ts), then compares half of the
 * numeric fields (parallel-drift.ts). Jobs are answered in the order they were sent. When the worker cannot start
 * or stops, scans answer null (the caller reads on one thread) and comparisons fail with a message.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../runtime/index.ts';
import type { CsvPartJob, CsvPartResult } from './csv-part-scan.ts';
import type { SharedFieldAnswer, SharedFieldJob } from './claimed-fields.ts';
import type { HelperJob, NumberFieldAnswer, NumberFieldJob } from './drift-worker.ts';
import type { FieldDrift } from './field-drift.ts';

export class DriftHelper {
  /** The worker once loaded; null when it could not start. */
  readonly ready: Promise<Worker | null>;
  private readonly waiting: Array<(answer: unknown) => void> = [];
  private stopped: Error | null = null;

  private constructor(private readonly worker: Worker) {
    this.ready = new Promise((resolve) => {
      worker.once('message', () => {
        worker.on('message', (answer: unknown) => this.waiting.shift()?.(answer));
        resolve(worker);
      });
      const stop = (error: Error) => {
        this.stopped = error;
        resolve(null);
        for (const answer of this.waiting.splice(0)) answer(null);
      };
      worker.once('error', stop);
      worker.once('exit', (code) => stop(new Error(`exited with code ${code}`)));
    });
  }

  /** A helper, or null on a machine with one core or where the worker cannot be made. */
  static start(): DriftHelper | null {
    if (os.availableParallelism() < 2) return null;
    try {
      return new DriftHelper(spawnWorker(new URL('./drift-worker.ts', import.meta.url)));
    } catch {
      return null;
    }
  }

  private send(message: HelperJob, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.stopped) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.worker.postMessage(message, transfer);
    });
  }

  /** Scans a part of a CSV file; null when the worker stopped. */
  async scan(job: CsvPartJob): Promise<CsvPartResult | null> {
    return (await this.send({ kind: 'scan', job })) as CsvPartResult | null;
  }

  /** Compares numeric fields; the values' buffers are transferred (detached here), unless they are shared memory. */
  async compare(job: NumberFieldJob): Promise<FieldDrift[]> {
    const transfer = [
      ...new Set(job.fields.map((f) => f.values.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)),
    ];
    const answer = (await this.send({ kind: 'compare', job }, transfer)) as NumberFieldAnswer | null;
    if (!answer) throw new Error(`the drift worker stopped: ${this.stopped?.message ?? 'no answer'}`);
    if (!answer.ok) throw new Error(`the drift worker failed: ${answer.message}`);
    return answer.fields;
  }

  /** Compares the fields of a shared job that the worker claims; [] when it stopped before claiming any. */
  async compareShared(job: SharedFieldJob): Promise<Array<{ index: number; field: FieldDrift }>> {
    const answer = (await this.send({ kind: 'compare-shared', job })) as SharedFieldAnswer | null;
    if (!answer) throw new Error(`the drift worker stopped: ${this.stopped?.message ?? 'no answer'}`);
    if (!answer.ok) throw new Error(`the drift worker failed: ${answer.message}`);
    return answer.fields;
  }

  close(): void {
    void this.worker.terminate();
  }
}
