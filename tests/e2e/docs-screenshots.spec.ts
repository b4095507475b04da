/**
 * The screenshots of the guide (README.md, docs/console.md), taken in Chromium on the demo data by following the
 * README's first steps: load the demo data, then visit Overview, Drift, Anomalies and Sources. They are written to
 * tests/e2e/results/docs/ on every run, and over the committed copies in docs/images/ with VIGIE_DOCS_SCREENSHOTS=1
 * (`VIGIE_DOCS_SCREENSHOTS=1 npx playwright test tests/e2e/docs-screenshots.spec.ts`).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOwnConsole, type OwnConsole } from './own-console.ts';

const RESULTS = 'tests/e2e/results/docs';
const DOCS = 'docs/images';
const UPDATE_DOCS = process.env.VIGIE_DOCS_SCREENSHOTS === '1';

test.describe.configure({ mode: 'serial' });

let page: Page;
let own: OwnConsole;

async function shot(name: string) {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file });
  if (UPDATE_DOCS) {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(file, join(DOCS, `${name}.png`));
  }
}

async function openPage(title: string) {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: new RegExp(`^${title}`) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  own = await startOwnConsole('vigie-e2e-docs-screenshots-');
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(own.url);
});

test.afterAll(async () => {
  await page.close();
  await own.stop();
});

test("the README's first step: the demo data fills the overview", async () => {
  test.setTimeout(300_000);
  const load = page.getByRole('button', { name: 'Load demo data' });
  // Another spec may have loaded it already into this console's store. isVisible does not wait: first wait for the
  // page to show one or the other, or a slow first render reads as "already loaded".
  await expect(load.or(page.getByTestId('stat-requests')).first()).toBeVisible({ timeout: 60_000 });
  if (await load.first().isVisible()) await load.first().click();
  await page.locator('#range-preset').selectOption('all');
  await expect(page.getByTestId('stat-requests')).toHaveText(/^\d{1,3}(,\d{3})+$/, { timeout: 120_000 });
  await expect(page.getByRole('img', { name: 'Requests over time by status' }).locator('canvas')).toBeVisible();
  const operations = page.getByTestId('operations');
  await expect
    .poll(
      async () => {
        const text = (await operations.textContent()) ?? '';
        return !text.includes('Loading demo data') || text.includes('done');
      },
      { timeout: 240_000 },
    )
    .toBe(true);
  await shot('console-overview');
});

test('the tour: drift, anomalies and sources pages', async () => {
  await openPage('Drift');
  await expect(page.locator('tr[data-field="AMT_INCOME_TOTAL"]')).toBeVisible({ timeout: 60_000 });
  await shot('console-drift');
  await openPage('Anomalies');
  await expect(page.getByRole('img', { name: 'Anomalies over time by severity' })).toBeVisible({ timeout: 60_000 });
  await shot('console-anomalies');
  await openPage('Sources');
  await shot('console-sources');
});
