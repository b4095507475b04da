/** Launches the desktop app where Electron's binary is installed; skipped with the reason elsewhere. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { _electron, expect, test } from '@playwright/test';

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

test('the desktop app opens its window on the console', async () => {
  test.skip(binary === null, 'Electron binary not installed (optional dependency whose binary is not downloaded here)');
  test.skip(!existsSync('electron/dist/main.js'), 'desktop shell not built: run `npm run build:electron`');
  const app = await _electron.launch({ executablePath: binary!, args: ['.'] });
  const window = await app.firstWindow();
  await expect(window.getByRole('navigation', { name: 'Pages' })).toBeVisible();
  await app.close();
});
