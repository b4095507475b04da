import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the browser shell (`vigie console`, started by tests/e2e/global-setup.ts on a free port
 * with a temporary store) in Debian's Chromium: no browser download.
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
      executablePath: '/usr/bin/chromium',
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
