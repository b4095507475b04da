/**
 * Imports a module by URL, a `.ts` one through tsx, registered on first need: a worker started from its bundle
 * (worker-bundle.ts) runs without tsx until it is handed a TypeScript module to load. It never asks where it is, so
 * the workers that use it can still be bundled.
 */
let tsxRegistered = false;

export async function importModule(url: string): Promise<unknown> {
  if (new URL(url).pathname.endsWith('.ts') && !tsxRegistered) {
    const { register } = (await import('tsx/esm/api')) as { register: () => void };
    register();
    tsxRegistered = true;
  }
  return import(url);
}
