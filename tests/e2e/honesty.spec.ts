/**
 * A console that never misleads (issue 10), in Chromium against `vigie console` with a fresh store: the complete
 * drift answer over HTTP has nothing pending, a bad custom range is refused in words, the time fields are UTC on a
 * 24-hour clock, a drift row's detail comes into view, the page list stays in view, and each verdict names the test
 * that decided it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOwnConsole, type OwnConsole } from './own-console.ts';
import { logLine } from './log-line.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
let own: OwnConsole;
const START = Date.UTC(2026, 11, 1);
const RECORDS = 3 * 24 * 12;

function record(i: number) {
  const ts = START + i * 5 * 60_000;
  return logLine({
    ts,
    request_id: `honesty-${i}`,
    applicant_ref: `h-${i}`,
    input: {
      AMT_INCOME_TOTAL: 90_000 + ((i * 7919) % 200_000),
      AMT_CREDIT: 200_000 + ((i * 104729) % 900_000),
      CODE_GENDER: i % 3 === 0 ? 'M' : 'F',
      NAME_CONTRACT_TYPE: i % 10 === 0 ? 'Revolving loans' : 'Cash loans',
      DAYS_BIRTH: -9000 - ((i * 31) % 15000),
    },
    output: { probability: 0.02 + ((i * 37) % 100) / 400, decision: 'approve', threshold: 0.11 },
    latency_ms: 2 + (i % 4),
  });
}

async function openPage(title: string) {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: new RegExp(`^${title}`) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  own = await startOwnConsole('vigie-e2e-honesty-');
  page = await (await browser.newContext()).newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(own.url);
  const file = join(own.dir, 'predictions-api-0-2026-12-01.jsonl');
  writeFileSync(file, `${Array.from({ length: RECORDS }, (_, i) => record(i)).join('\n')}\n`);
  await openPage('Sources');
  await page.getByTestId('upload-input').setInputFiles(file);
  await expect(page.getByTestId('import-message')).toContainText(`Imported ${RECORDS} new record(s)`, {
    timeout: 60_000,
  });
});

test.afterAll(async () => {
  await page.context().close();
  await own.stop();
});

async function callOverHttp(body: unknown) {
  return page.evaluate(async (sent) => {
    const response = await fetch('/api/call/drift', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sent),
      credentials: 'same-origin',
    });
    return (await response.json()) as {
      ok: boolean;
      value: { pending: string[]; currentCount: number };
      error: { message: string };
    };
  }, body);
}

test('drift with wait over HTTP on a fresh 3-day store answers with nothing pending', async () => {
  const body = await callOverHttp({ input: { range: {}, wait: true } });
  expect(body.ok).toBe(true);
  expect(body.value.pending).toEqual([]);
  expect(body.value.currentCount).toBe(RECORDS);
});

test('arguments sent beside "input" over HTTP are refused instead of silently ignored', async () => {
  const body = await callOverHttp({ range: {}, wait: true });
  expect(body.ok).toBe(false);
  expect(body.error.message).toMatch(/unexpected "range", "wait" in the request body: send \{"input"/);
});

test('an inverted custom range is refused in words, on UTC fields with a 24-hour clock', async () => {
  const shown = await page.getByTestId('range-shown').textContent();
  await page.locator('#range-preset').selectOption('custom');
  await expect(page.getByLabel('From (UTC)')).toHaveValue(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await page.getByLabel('From (UTC)').fill('2026-12-03 18:00');
  await page.getByLabel('To (UTC)').fill('2026-12-02 06:00');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert')).toHaveText('The start must be before the end.');
  await page.getByLabel('To (UTC)').fill('');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert')).toHaveText('Give both a start and an end.');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('range-shown')).toHaveText(shown!);
});

test('a drift row clicked at the top of a long table shows its detail in view, names the test that decided it, and the page list stays in view', async () => {
  // Checked against 27678ed: there the detail stayed below the table (viewport ratio 0) and the page list scrolled away.
  await page.setViewportSize({ width: 1280, height: 720 });
  await openPage('Drift');
  const rows = page.getByRole('table', { name: 'Drift per field' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });
  await expect(rows.first().getByTestId('verdict-methods')).toContainText(/^(by |vote: )/);
  expect(await rows.count()).toBeGreaterThan(20);
  await page.evaluate('window.scrollTo(0, 0)');
  // The first row is on screen at the top of the page, so the click itself scrolls nothing: any scroll is the page's.
  await expect(rows.first()).toBeInViewport({ ratio: 1 });
  await rows.first().click();
  const detail = page.getByTestId('field-detail').getByRole('region', { name: /: reference vs current$/ });
  await expect(detail).toBeVisible({ timeout: 30_000 });
  await expect(detail).toBeInViewport({ ratio: 0.9 });
  await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await expect(nav.getByRole('button', { name: /^Drift/ })).toBeInViewport({ ratio: 1 });
  const box = (await nav.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(720);
});

test('a corrupt .jsonl.gz is a failure said in words, and a rejected upload shows no temporary path', async () => {
  await openPage('Sources');
  const corrupt = join(own.dir, 'predictions-api-0-2026-12-09.jsonl.gz');
  writeFileSync(corrupt, 'this is not gzip data');
  await page.getByTestId('upload-input').setInputFiles(corrupt);
  const alert = page.locator('.error-note[role="alert"]');
  await expect(alert).toContainText('1 file could not be read, nothing from it was stored', { timeout: 60_000 });
  await expect(alert).toContainText('predictions-api-0-2026-12-09.jsonl.gz: the gzip data is damaged');
  await expect(page.getByTestId('import-message')).toHaveCount(0);
  const notes = join(own.dir, 'notes.txt');
  writeFileSync(notes, 'hello');
  await page.getByTestId('upload-input').setInputFiles(notes);
  await expect(alert).toContainText('Cannot import', { timeout: 60_000 });
  await expect(alert).not.toContainText('/');
});

test('an API URL without http:// is refused in words, and saving the same URL twice keeps one entry', async () => {
  await openPage('Sources');
  const api = page.getByRole('region', { name: 'Scoring API' });
  await page.getByLabel('API URL').fill('localhost:8080');
  await api.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#api-url-problem')).toContainText('is not an http:// or https:// address');
  for (const url of ['http://127.0.0.1:9', 'http://127.0.0.1:9/']) {
    await page.getByLabel('API URL').fill(url);
    await api.getByRole('button', { name: 'Save' }).click();
  }
  await expect(page.locator('#api-url-problem')).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'API endpoints' }).locator('tbody tr')).toHaveCount(1);
});
