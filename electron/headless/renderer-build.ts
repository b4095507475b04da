/** Finds the built renderer, building it with Vite first when this checkout has not built it yet. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RENDERER_ROOT = fileURLToPath(new URL('../../renderer/', import.meta.url));
export const RENDERER_DIST = fileURLToPath(new URL('../../renderer/dist/', import.meta.url));

export function rendererBuilt(dir = RENDERER_DIST): boolean {
  return existsSync(`${dir}index.html`);
}

/** Builds renderer/dist (about a second); throws with what to run when Vite is not installed (production install). */
export async function buildRenderer(log: (line: string) => void = () => {}): Promise<void> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new Error(
      'the console page is not built and Vite is not installed: run `npm install` then `npm run build:renderer`',
    );
  }
  log('Building the console page (renderer/dist), once…');
  await vite.build({ configFile: `${RENDERER_ROOT}vite.config.ts`, logLevel: 'warn' });
}
