/**
 * A `vigie console` of a spec's own, on a free port over a fresh store in a temporary folder, for specs whose
 * assertions need a store no other spec has touched (the shared one of global-setup.ts fills as the specs run).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OwnConsole {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** `prepare` runs in the new folder before the console starts and returns extra arguments (e.g. `--models`). */
export async function startOwnConsole(
  prefix: string,
  prepare: (dir: string) => string[] = () => [],
): Promise<OwnConsole> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const extra = prepare(dir);
  const child = spawn(
    process.execPath,
    ['bin/vigie.js', 'console', '--port', '0', '--db', join(dir, 'store.sqlite'), ...extra],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`vigie console printed no URL in 60 s: ${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
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
  return {
    url,
    dir,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
