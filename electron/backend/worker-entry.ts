/** The console backend as a worker thread (browser shell): the HTTP loop stays free while SQLite and analysis run. */
import { parentPort, workerData } from 'node:worker_threads';
import type { BackendConfig } from '../../console-api/protocol.ts';
import { serveBackend } from './host.ts';

if (!parentPort) throw new Error('worker-entry.ts must run as a worker thread');
const port = parentPort;
serveBackend(port, Object.freeze(workerData as BackendConfig), () => port.close());
