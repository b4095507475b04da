/**
 * The Performance page end to end, in Chromium: the demo data comes with outcomes, the concept-drift period (the
 * sixth scenario, 2026-12-10 to 2026-12-24, drift from 2026-12-17) shows realised and estimated ROC AUC and a firing
 * realised-AUC alert, which can be acknowledged; the Sources page imports an outcome file and says what it did.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOwnConsole, type OwnConsole } from './own-console.ts';

const RESULTS = 'tests/e2e/results';
const CONCEPT_DRIFT = { from: '2026-12-10T00:00', to: '2026-12-24T00:00' };

test.describe.configure({ mode: 'serial' });

let page: Page;
let own: OwnConsole;

async function openPage(title: string) {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: new RegExp(`^${title}`) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  own = await startOwnConsole('vigie-e2e-performance-');
  page = await browser.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(own.url);
});

test.afterAll(async () => {
  await page.close();
  await own.stop();
});

test('the demo data comes with outcomes and the concept-drift period fires a realised-AUC alert', async () => {
  await openPage('Sources');
  await page.getByRole('button', { name: 'Load demo data' }).first().click();
  await expect(page.getByTestId('import-message')).toContainText('Loaded', { timeout: 180_000 });
  await page.locator('#range-preset').selectOption('custom');
  await page.getByLabel('From (UTC)').fill(CONCEPT_DRIFT.from);
  await page.getByLabel('To (UTC)').fill(CONCEPT_DRIFT.to);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.keyboard.press('9');
  await expect(page.getByRole('heading', { level: 1, name: 'Performance' })).toBeVisible();
  await expect(page.getByTestId('stat-realised-auc')).toHaveText(/^0\.\d{3}$/, { timeout: 60_000 });
  await expect(page.getByTestId('stat-estimated-auc')).toHaveText(/^0\.\d{3}$/);
  const alert = page.locator('li.finding[data-rule="realised_auc_drop"][data-state="firing"]').first();
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/2026-12-(1[7-9]|2[0-3])/);
  await expect(page.getByRole('table', { name: 'Performance per day' })).toContainText('2026-12-17');
  await expect(page.getByRole('table', { name: 'Fairness per segment' })).toContainText('CODE_GENDER');
  await expect(page.getByRole('img', { name: /Realised and estimated ROC AUC/ }).locator('canvas')).toBeVisible();
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, 'performance-concept-drift.png'), fullPage: true });

  await alert.getByRole('button', { name: /Acknowledge/ }).click();
  await expect(
    page.locator('li.finding[data-rule="realised_auc_drop"][data-state="acknowledged"]').first(),
  ).toBeVisible();
});

test('importing an outcome file reports conflicts and outcomes without a prediction', async () => {
  const file = join(own.dir, 'outcomes.csv');
  writeFileSync(
    file,
    'request_id,TARGET,observed_at\nno-such-request,1,2027-01-05T00:00:00Z\nno-such-request,0,2027-01-06T00:00:00Z\nbad,2,x\n',
  );
  await openPage('Sources');
  await page.getByLabel('Outcomes file on this machine').fill(file);
  await page.getByRole('button', { name: 'Import outcomes' }).click();
  const message = page.getByTestId('outcome-message');
  await expect(message).toContainText('Added 1 outcome(s)', { timeout: 30_000 });
  await expect(message).toContainText('1 conflict(s) kept aside');
  await expect(message).toContainText('1 with no prediction yet');
  await expect(message).toContainText('1 line(s) quarantined');
  await expect(page.getByRole('list', { name: 'Outcome conflicts' })).toContainText('no-such-request');

  await page.getByLabel('Outcomes file on this machine').fill(join(own.dir, 'outcomes.txt'));
  writeFileSync(join(own.dir, 'outcomes.txt'), 'x');
  await page.getByRole('button', { name: 'Import outcomes' }).click();
  await expect(message).toContainText('must end in .csv or .jsonl');
});
