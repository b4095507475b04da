export { spawnWorker } from './spawn-worker.ts';
