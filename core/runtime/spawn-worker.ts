import { Worker, type WorkerOptions } from 'node:worker_threads';
import { bundledModule } from './worker-bundle.ts';

/**
 * Starts a worker thread on a module given by URL. A `.ts` entry runs from its ready bundle when it has one
 * (worker-bundle.ts), else through tsx, registered inside the worker, because workers started from a plain `node`
 * process (Vitest, a packaged app) do not inherit a loader.
 */
export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const bundle = bundledModule(entry);
  if (bundle) return new Worker(bundle, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); ` +
    `return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
