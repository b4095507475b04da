import { defineConfig } from '@playwright/test';
import { findChromium } from './scripts/find-chromium.mjs';

/**
 * End-to-end tests drive the browser shell (`vigie console`, one per spec on a free port over a temporary store:
 * tests/e2e/own-console.ts; the renderer is built once by tests/e2e/global-setup.ts) in a Chromium found on the machine (`VIGIE_CHROMIUM`, a system install, or one Playwright
 * downloaded): scripts/find-chromium.mjs.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'tests/e2e/results/artifacts',
  globalSetup: './tests/e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['html', { outputFolder: 'tests/e2e/report', open: 'never' }]],
  use: {
    viewport: { width: 1440, height: 960 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    acceptDownloads: true,
    launchOptions: {
      executablePath: findChromium() ?? undefined,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
