export { importModule } from './import-module.ts';
export { spawnWorker } from './spawn-worker.ts';
export { bundledModule, useWorkerBundles } from './worker-bundle.ts';
