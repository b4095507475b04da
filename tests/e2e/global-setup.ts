/**
 * Builds the renderer once for the run. Each spec starts a `vigie console` of its own over a fresh store
 * (own-console.ts), so no spec depends on what another one loaded or changed.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export default function globalSetup(): void {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('building the renderer failed');
}
