export { importModule } from './import-module.ts';
export { spawnWorker } from './spawn-worker.ts';
export { bundledModule, projectModule, useWorkerBundles } from './worker-bundle.ts';
