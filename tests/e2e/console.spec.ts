/**
 * The browser console end to end, in Chromium, against a `vigie console` of its own with a fresh store (own-console.ts):
 * demo data fills every page, an import quarantines bad lines, the drift page flags the fields the gradual-drift
 * scenario shifts, the incident shows on the anomalies timeline, and a report exports and opens.
 * Screenshots of each page are saved under tests/e2e/results.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOwnConsole, type OwnConsole } from './own-console.ts';
import { logLine } from './log-line.ts';

const RESULTS = 'tests/e2e/results';
/** The demo calendar: five scenarios of 14 days from 2026-10-01, in SCENARIO_NAMES order. */
const GRADUAL_DRIFT = { from: '2026-10-15T00:00', to: '2026-10-29T00:00' };
const INCIDENT = { from: '2026-11-26T00:00', to: '2026-12-10T00:00' };

test.describe.configure({ mode: 'serial' });

let page: Page;
let own: OwnConsole;

async function shot(name: string) {
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
}

async function customRange(range: { from: string; to: string }) {
  await page.locator('#range-preset').selectOption('custom');
  await page.getByLabel('From (UTC)').fill(range.from);
  await page.getByLabel('To (UTC)').fill(range.to);
  await page.getByRole('button', { name: 'Apply' }).click();
}

async function openPage(title: string) {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: new RegExp(`^${title}`) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  own = await startOwnConsole('vigie-e2e-console-');
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

test('an empty store says what to do and offers the demo data', async () => {
  await expect(page.getByRole('heading', { name: 'No production records yet' })).toBeVisible();
  await shot('00-empty-state');
});

test('loading the demo data fills the overview with real numbers', async () => {
  await page.getByRole('button', { name: 'Load demo data' }).first().click();
  await expect(page.getByTestId('operations')).toContainText('Loading demo data');
  await page.locator('#range-preset').selectOption('all');
  const requests = page.getByTestId('stat-requests');
  await expect(requests).toHaveText(/^\d{1,3}(,\d{3})+$/, { timeout: 120_000 });
  expect(Number((await requests.textContent())!.replace(/,/g, ''))).toBeGreaterThan(10_000);
  await expect(page.getByTestId('stat-approval-rate')).toHaveText(/^\d+\.\d %$/);
  await expect(page.getByTestId('stat-latency-p95')).toHaveText(/ ms$/);
  await expect(page.getByRole('table', { name: 'Model versions in traffic' })).toContainText('credit-default');
  await expect(page.getByRole('img', { name: 'Requests over time by status' }).locator('canvas')).toBeVisible();
  await shot('01-overview');
});

test('the drift page flags the fields the gradual-drift scenario shifts', async () => {
  await customRange(GRADUAL_DRIFT);
  await openPage('Drift');
  for (const field of ['AMT_INCOME_TOTAL', 'EXT_SOURCE_2']) {
    await expect(page.locator(`tr[data-field="${field}"]`)).toHaveAttribute('data-drifted', 'true', {
      timeout: 60_000,
    });
  }
  await page.locator('tr[data-field="AMT_INCOME_TOTAL"]').click();
  await expect(page.getByRole('region', { name: 'AMT_INCOME_TOTAL: reference vs current' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Data quality per field' })).toContainText('EXT_SOURCE_3');
  await shot('02-drift');
});

test('the incident shows on the anomalies timeline and focuses the other pages on its hour', async () => {
  await customRange(INCIDENT);
  await openPage('Anomalies');
  const finding = page.locator('li.finding.critical[data-metric="latency_p95"]');
  await expect(finding).toContainText('2026-12-03 14:00', { timeout: 60_000 });
  await expect(page.getByRole('img', { name: 'Anomalies over time by severity' })).toBeVisible();
  await shot('03-anomalies');
  await finding.getByRole('button').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByTestId('range-shown')).toContainText('focused on latency_p95');
  await expect(page.getByTestId('stat-error-rate')).not.toHaveText('—');
  await shot('04-overview-focused-on-incident');
});

test('importing a file with bad lines lists them in the quarantine', async () => {
  const start = Date.UTC(2026, 11, 20);
  const good = Array.from({ length: 30 }, (_, i) =>
    logLine({
      ts: start + i * 60_000,
      request_id: `e2e-upload-${i}`,
      replica: 'api-9',
      applicant_ref: `e2e-${i}`,
      input: { AMT_INCOME_TOTAL: 150_000 },
    }),
  );
  const file = join(own.dir, 'predictions-api-9-2026-12-20.jsonl');
  writeFileSync(
    file,
    `${[...good, '{"request_id": broken', '[1, 2, 3]', '{"format_version":1,"ts":"2026-12-20T01:00:00Z"}'].join('\n')}\n`,
  );

  await openPage('Sources');
  await page.getByTestId('upload-input').setInputFiles(file);
  await expect(page.getByTestId('import-message')).toContainText('Imported 30 new record(s)', { timeout: 60_000 });
  await expect(page.getByTestId('import-message')).toContainText('3 line(s) quarantined');
  const quarantine = page.getByRole('table', { name: 'Quarantined lines' });
  await expect(quarantine).toContainText('not_object');
  await expect(quarantine).toContainText('missing_request_id');
  await expect(quarantine).toContainText('predictions-api-9-2026-12-20.jsonl');
  await expect(quarantine).toContainText('[1, 2, 3]');
  await shot('05-sources');
});

test('a report exports for the period and the file opens', async () => {
  await customRange(GRADUAL_DRIFT);
  await openPage('Reports');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export and download' }).click(),
  ]);
  const saved = join(RESULTS, 'vigie-drift-report.html');
  await download.saveAs(saved);
  await expect(page.getByTestId('report-message')).toContainText('Report saved');
  await shot('06-reports');

  const html = readFileSync(saved, 'utf8');
  expect(html).toContain('AMT_INCOME_TOTAL');
  const report = await page.context().newPage();
  await report.goto(`file://${join(process.cwd(), saved)}`);
  await expect(report.locator('body')).toContainText('EXT_SOURCE_2');
  await report.screenshot({ path: join(RESULTS, '07-report-html.png'), fullPage: false });
  await report.close();

  await page.getByLabel('JSON').check();
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export and download' }).click(),
  ]);
  const jsonPath = join(RESULTS, 'vigie-drift-report.json');
  await json.saveAs(jsonPath);
  expect(JSON.parse(readFileSync(jsonPath, 'utf8'))).toHaveProperty('drift');
});

test('the dark theme and keyboard shortcuts work on every page', async () => {
  await page.keyboard.press('Escape');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('t');
  await page.keyboard.press('t');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.keyboard.press('2');
  await expect(page.getByRole('heading', { level: 1, name: 'Drift' })).toBeVisible();
  await shot('08-drift-dark');
  await page.keyboard.press('1');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
});
