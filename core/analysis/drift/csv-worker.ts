/** Worker thread entry of the two-core CSV reader (csv-parts.ts) when no drift helper is running: one part. */
import { parentPort, workerData } from 'node:worker_threads';
import { scanPart, type CsvPartJob } from './csv-part-scan.ts';

export type { CsvPartJob, CsvPartResult, PartColumn } from './csv-part-scan.ts';

const { result, transfer } = scanPart(workerData as CsvPartJob);
parentPort!.postMessage(result, transfer);
