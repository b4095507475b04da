/**
 * `npm start`: the desktop console when Electron's binary is installed, otherwise one line saying so and the browser
 * console (`vigie console`) with its URL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildRenderer, rendererBuilt } from './headless/renderer-build.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (binary === null) {
  process.stderr.write(
    'Electron is not installed here (optional dependency without its binary): starting the browser console.\n',
  );
  // Started as its own process: the shells never import the CLI (ARCHITECTURE.md, dependencies point one way).
  const child = spawn(process.execPath, [`${ROOT}bin/vigie.js`, 'console', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  child.on('exit', (code) => (process.exitCode = code ?? 0));
} else {
  if (!rendererBuilt()) await buildRenderer((line) => process.stderr.write(`${line}\n`));
  if (!existsSync(`${ROOT}electron/dist/main.js`)) {
    spawnSync(process.execPath, ['--import', 'tsx', `${ROOT}electron/build.ts`], { stdio: 'inherit', cwd: ROOT });
  }
  const child = spawn(binary, [ROOT, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => (process.exitCode = code ?? 0));
}
