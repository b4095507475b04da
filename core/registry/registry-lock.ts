/**
 * Serialises read-modify-write changes of the registry between processes (two people promoting at once must not lose
 * one history entry): an exclusive lock file beside `registry.json`. A lock older than `STALE_MS` is taken to belong
 * to a writer that crashed and is removed.
 */
import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { REGISTRY_FILE, RegistryError } from './registry-file.ts';

const STALE_MS = 30_000;
const WAIT_MS = 5_000;
const POLL_MS = 25;

export async function withRegistryLock<T>(modelsDir: string, change: () => Promise<T>): Promise<T> {
  const lock = path.resolve(modelsDir, `.${REGISTRY_FILE}.lock`);
  const giveUpAt = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No models folder: nothing to protect, and the change reports the missing registry itself.
      if (code === 'ENOENT') return change();
      if (code !== 'EEXIST') throw new RegistryError(`cannot create the lock file (${code ?? String(error)})`, lock);
      const age = await stat(lock).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > giveUpAt) {
        throw new RegistryError('another registry change is in progress; retry in a moment', lock);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  try {
    return await change();
  } finally {
    await rm(lock, { force: true });
  }
}
