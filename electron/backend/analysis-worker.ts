/** The analysis worker: answers drift requests one at a time with the whole analysis (plain, clonable data). */
import { parentPort } from 'node:worker_threads';
import { toConsoleError } from './api/errors.ts';
import { DriftAnalyser, type DriftRequest } from './drift-analysis.ts';

if (!parentPort) throw new Error('analysis-worker.ts must run as a worker thread');
const port = parentPort;
const analyser = new DriftAnalyser();
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: { id: number; request: DriftRequest } | { close: true }) => {
  if ('close' in message) {
    analyser.close();
    port.close();
    return;
  }
  queue = queue.then(async () => {
    try {
      port.postMessage({ id: message.id, analysis: await analyser.analyse(message.request) });
    } catch (error) {
      const consoleError = toConsoleError(error);
      port.postMessage({ id: message.id, error: { code: consoleError.code, message: consoleError.message } });
    }
  });
});
