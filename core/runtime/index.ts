export { importModule } from './import-module.ts';
export { spawnWorker } from './spawn-worker.ts';
export { bundledModule, projectModule, useWorkerBundles } from './worker-bundle.ts';
export { instantiateWasm, type WasmMemory } from './wasm.ts';
