/**
 * Builds the renderer, then starts `vigie console` on a free port with a fresh temporary store and hands its URL
 * (token included) to the tests through the environment. Returns the teardown that stops it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export default async function globalSetup(): Promise<() => Promise<void>> {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('building the renderer failed');

  const dir = mkdtempSync(join(tmpdir(), 'vigie-e2e-'));
  const child = spawn(process.execPath, ['bin/vigie.js', 'console', '--port', '0', '--db', join(dir, 'store.sqlite')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`vigie console printed no URL in 60 s: ${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Vigie console: (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vigie console exited with code ${code}: ${output}`));
    });
  });
  process.env.VIGIE_CONSOLE_URL = url;
  process.env.VIGIE_E2E_DIR = dir;

  return async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  };
}
