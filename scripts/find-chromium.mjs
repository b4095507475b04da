#!/usr/bin/env node
/**
 * Finds the Chromium the end-to-end tests drive: `VIGIE_CHROMIUM` (a path) first, then the usual system
 * installs, then a browser Playwright downloaded itself (`npx playwright install chromium`). Prints the path, or
 * exits 1 with nothing printed when there is none. Used by playwright.config.ts and scripts/test.sh.
 */
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @returns {string | null} */
export function findChromium(env = process.env) {
  const fromEnv = env.VIGIE_CHROMIUM?.trim();
  if (fromEnv) return executable(fromEnv) ? fromEnv : null;
  const system = SYSTEM_PATHS.find(executable);
  if (system) return system;
  try {
    const { chromium } = createRequire(import.meta.url)('@playwright/test');
    const downloaded = chromium.executablePath();
    return downloaded && executable(downloaded) ? downloaded : null;
  } catch {
    return null;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = findChromium();
  if (found) console.log(found);
  process.exitCode = found ? 0 : 1;
}
