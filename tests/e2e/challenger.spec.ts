/**
 * The Challenger page end to end, in Chromium, against `vigie console` (global-setup.ts): the demo data's first two
 * days are replayed against the fallback model; the page's flip table must hold exactly the counts
 * `vigie replay --json` gives for the same store and period, and the JSON export must be that same report.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOwnConsole, type OwnConsole } from './own-console.ts';

const RESULTS = 'tests/e2e/results';
const PERIOD = { from: '2026-10-01T00:00', to: '2026-10-03T00:00' };

test.describe.configure({ mode: 'serial' });

let page: Page;
let own: OwnConsole;

const count = async (testId: string) =>
  Number(((await page.getByTestId(testId).textContent()) ?? '').split(' ')[0]!.replace(/,/g, ''));

test.beforeAll(async ({ browser }) => {
  own = await startOwnConsole('vigie-e2e-challenger-');
  const context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(own.url);
});

test.afterAll(async () => {
  await page.context().close();
  await own.stop();
});

test('the Challenger page replays a demo period against the fallback, as vigie replay does', async () => {
  test.setTimeout(240_000);
  const load = page.getByRole('button', { name: 'Load demo data' }).first();
  if (await load.isVisible()) {
    await load.click();
    await page.locator('#range-preset').selectOption('all');
    await expect(page.getByTestId('stat-requests')).toHaveText(/^\d{1,3}(,\d{3})+$/, { timeout: 180_000 });
  }
  await page.locator('#range-preset').selectOption('custom');
  await page.getByLabel('From (UTC)').fill(PERIOD.from);
  await page.getByLabel('To (UTC)').fill(PERIOD.to);
  await page.getByRole('button', { name: 'Apply' }).click();

  await page.locator('body').press('8');
  await expect(page.getByRole('heading', { level: 1, name: 'Challenger' })).toBeVisible();
  await expect(page.locator('#challenger-candidate option[value="fallback"]')).toHaveCount(1);
  await page.locator('#challenger-candidate').selectOption('fallback');
  await page.locator('#challenger-baseline').selectOption('logged');
  await page.getByRole('button', { name: 'Replay' }).click();

  const table = page.getByRole('table', { name: 'Decision flips' });
  await expect(table).toBeVisible({ timeout: 120_000 });
  const shown = {
    approveApprove: await count('flip-approve-approve'),
    approveRefuse: await count('flip-approve-refuse'),
    refuseApprove: await count('flip-refuse-approve'),
    refuseRefuse: await count('flip-refuse-refuse'),
  };
  expect(shown.approveRefuse + shown.refuseApprove).toBeGreaterThan(0);
  await expect(page.getByTestId('challenger-verdict')).toHaveText(/^(review|hold)$/);
  await expect(page.getByRole('table', { name: 'Approval rate by segment' })).toContainText('CODE_GENDER = F');
  await expect(page.getByRole('img', { name: 'Histogram of probability deltas' }).locator('canvas')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Latency comparison' })).toContainText('candidate');
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, 'challenger.png'), fullPage: true });

  const store = await page.getByTestId('challenger-summary').getAttribute('data-store');
  const cli = JSON.parse(
    execFileSync(
      process.execPath,
      [
        'bin/vigie.js',
        'replay',
        '--db',
        store!,
        '--from',
        `${PERIOD.from}:00Z`,
        '--to',
        `${PERIOD.to}:00Z`,
        '--model',
        'fallback',
        '--json',
        '--no-progress',
        '--workers',
        '1',
      ],
      { encoding: 'utf8' },
    ),
  );
  expect(shown).toEqual({
    approveApprove: cli.flips.approveApprove,
    approveRefuse: cli.flips.approveRefuse,
    refuseApprove: cli.flips.refuseApprove,
    refuseRefuse: cli.flips.refuseRefuse,
  });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download JSON' }).click(),
  ]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(exported.flips).toEqual(cli.flips);
  expect(exported.segments).toEqual(cli.segments);
});

test('a period without records says so in plain words', async () => {
  await page.locator('#range-preset').selectOption('custom');
  await page.getByLabel('From (UTC)').fill('2030-01-01T00:00');
  await page.getByLabel('To (UTC)').fill('2030-01-02T00:00');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('button', { name: 'Replay' }).click();
  await expect(page.getByRole('alert')).toContainText('No records fall in the selected period');
});
