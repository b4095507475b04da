/** Worker entry of `writeTrafficFiles`: writes one range of days and reports progress and the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { compileInputSchema } from '../contract/index.ts';
import { writeTrafficDays, type DaysJob } from './traffic-day-writer.ts';

export type WorkerJob = Omit<DaysJob, 'schema'> & { schemaDocument: unknown; progressEvery: number };
export type WorkerMessage =
  | { type: 'progress'; count: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof writeTrafficDays>> }
  | { type: 'failed'; message: string };

const job = workerData as WorkerJob;
const post = (message: WorkerMessage) => parentPort!.postMessage(message);
try {
  const schema = compileInputSchema(job.schemaDocument);
  const result = await writeTrafficDays(
    { ...job, schema },
    (count) => post({ type: 'progress', count }),
    job.progressEvery,
  );
  post({ type: 'done', result });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
