/**
 * The quarantine viewer pages through more bad lines than one page holds, in Chromium against a `vigie console` of
 * its own: the count says the total, Next and Previous move one page, the last page holds the rest, and a line that
 * is not UTF-8 shows a short readable excerpt instead of a long run of replacement characters (issue 10).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOwnConsole, type OwnConsole } from './own-console.ts';
import { logLine } from './log-line.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
let own: OwnConsole;
const BAD_UTF8 = 60;
const BAD_JSON = 60;
const BAD = BAD_UTF8 + BAD_JSON;

function goodRecord(): string {
  return logLine({
    ts: Date.UTC(2026, 11, 1),
    request_id: 'quarantine-good-0',
    applicant_ref: 'q-0',
    input: { AMT_INCOME_TOTAL: 100_000, AMT_CREDIT: 300_000, CODE_GENDER: 'F' },
    output: { probability: 0.05, decision: 'approve', threshold: 0.11 },
  });
}

test.beforeAll(async ({ browser }) => {
  own = await startOwnConsole('vigie-e2e-quarantine-');
  page = await (await browser.newContext()).newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(own.url);
  // Latin-1 bytes (é = 0xE9) inside a JSON line: not UTF-8, and decoded naively a long run of U+FFFD.
  const latin1 = Buffer.concat([Buffer.from('{"note":"'), Buffer.alloc(600, 0xe9), Buffer.from('"}')]);
  const lines: Buffer[] = [Buffer.from(goodRecord())];
  for (let i = 0; i < BAD_UTF8; i++) lines.push(latin1);
  for (let i = 0; i < BAD_JSON; i++) lines.push(Buffer.from(`this is not JSON, line ${i}`));
  const file = join(own.dir, 'predictions-api-0-2026-12-01.jsonl');
  writeFileSync(file, Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\n')])));
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: /^Sources/ })
    .click();
  await page.getByTestId('upload-input').setInputFiles(file);
  await expect(page.getByTestId('import-message')).toContainText(`${BAD} line(s) quarantined`, { timeout: 60_000 });
});

test.afterAll(async () => {
  await page.context().close();
  await own.stop();
});

test('the quarantine count says the total and pages through it with Next and Previous', async () => {
  await expect(page.getByRole('heading', { name: `Quarantine (${BAD})` })).toBeVisible();
  const rows = page.getByRole('table', { name: 'Quarantined lines' }).locator('tbody tr');
  const pager = page.locator('.pager');
  await expect(rows).toHaveCount(50);
  await expect(rows.first().locator('td').nth(2)).toHaveText('2');
  await expect(pager).toContainText('page 1 of 3');
  await expect(pager.getByRole('button', { name: 'Previous' })).toBeDisabled();
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('page 2 of 3');
  await expect(rows.first().locator('td').nth(2)).toHaveText('52');
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('page 3 of 3');
  await expect(rows).toHaveCount(BAD - 100);
  await expect(rows.last().locator('td').nth(2)).toHaveText(String(BAD + 1));
  await expect(pager.getByRole('button', { name: 'Next' })).toBeDisabled();
  await pager.getByRole('button', { name: 'Previous' }).click();
  await expect(pager).toContainText('page 2 of 3');
  await expect(rows).toHaveCount(50);
});

test('a line that is not UTF-8 shows a short readable excerpt, not a run of replacement characters', async () => {
  const pager = page.locator('.pager');
  await pager.getByRole('button', { name: 'Previous' }).click();
  await expect(pager).toContainText('page 1 of 3');
  const excerpt = page
    .getByRole('table', { name: 'Quarantined lines' })
    .locator('tbody tr')
    .first()
    .locator('code.excerpt');
  const text = (await excerpt.textContent()) ?? '';
  expect(text.length).toBeGreaterThan(0);
  expect(text.length).toBeLessThanOrEqual(241);
  expect(text).not.toContain('\uFFFD');
  expect(text).toMatch(/not (UTF-8|text)/);
});
