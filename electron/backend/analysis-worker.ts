/** The analysis worker: answers drift and anomaly requests one at a time with the whole analysis (clonable data). */
import { parentPort } from 'node:worker_threads';
import { toConsoleError } from './api/errors.ts';
import { Analyser, type AnomaliesRequest, type DriftRequest } from './analyser.ts';

if (!parentPort) throw new Error('analysis-worker.ts must run as a worker thread');
const port = parentPort;
const analyser = new Analyser();
let queue: Promise<void> = Promise.resolve();

type Message =
  | { id: number; kind: 'drift'; request: DriftRequest }
  | { id: number; kind: 'anomalies'; request: AnomaliesRequest }
  | { close: true };

port.on('message', (message: Message) => {
  if ('close' in message) {
    analyser.close();
    port.close();
    return;
  }
  queue = queue.then(async () => {
    try {
      const analysis =
        message.kind === 'drift' ? await analyser.analyse(message.request) : analyser.anomalies(message.request);
      port.postMessage({ id: message.id, analysis });
    } catch (error) {
      const consoleError = toConsoleError(error);
      port.postMessage({ id: message.id, error: { code: consoleError.code, message: consoleError.message } });
    }
  });
});
