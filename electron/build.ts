/**
 * `npm run build:electron`: bundles the desktop main process, preload and backend bootstrap into electron/dist with
 * esbuild. Electron and native modules stay external; the backend itself runs from its TypeScript sources via tsx.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const common = {
  bundle: true,
  platform: 'node' as const,
  target: 'node20',
  sourcemap: true,
  logLevel: 'info' as const,
  external: ['electron', 'better-sqlite3', 'onnxruntime-node', 'tsx', 'tsx/*'],
};

await build({
  ...common,
  entryPoints: { main: `${here}desktop/main.ts`, backend: `${here}desktop/backend-bootstrap.ts` },
  outdir: `${here}dist`,
  format: 'esm',
  outExtension: { '.js': '.js' },
});
// A sandboxed preload must be CommonJS.
await build({
  ...common,
  entryPoints: { preload: `${here}desktop/preload.ts` },
  outdir: `${here}dist`,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
});
