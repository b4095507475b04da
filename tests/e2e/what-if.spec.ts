/**
 * The What-if page end to end, in Chromium, against `vigie console` (global-setup.ts): open it from a golden applicant
 * and from a stored request, watch the three models move with EXT_SOURCE_2, see an out-of-range value marked and not
 * sent, the sensitivity chart, the flip table and a reasons waterfall that sums to the probability; save and reload
 * a scenario; batch-score a file with bad rows and download the scored file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { startOwnConsole, type OwnConsole } from './own-console.ts';
import { logLine } from './log-line.ts';

const RESULTS = 'tests/e2e/results';
const PACKAGE = 'models/credit-default/1';

test.describe.configure({ mode: 'serial' });

let page: Page;
let own: OwnConsole;
const scoreCalls: string[] = [];

async function shot(name: string) {
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
}

async function probabilities(): Promise<string[]> {
  return Promise.all(
    ['champion', 'challenger', 'fallback'].map(
      async (role) => (await page.getByTestId(`probability-${role}`).textContent())!,
    ),
  );
}

function goldenInputs(count: number): Array<Record<string, unknown>> {
  return readFileSync(join(PACKAGE, 'golden.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, count)
    .map((line) => (JSON.parse(line) as { input: Record<string, unknown> }).input);
}

test.beforeAll(async ({ browser }) => {
  own = await startOwnConsole('vigie-e2e-what-if-');
  const context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  page.on('request', (request) => {
    if (request.url().includes('/api/call/whatIfScore')) scoreCalls.push(request.postData() ?? '');
  });
  await page.goto(own.url);
});

test.afterAll(async () => {
  await page.context().close();
  await own.stop();
});

test('stored production requests are imported for the what-if page to start from', async () => {
  const start = Date.UTC(2026, 11, 21);
  const records = goldenInputs(3).map((input, i) => {
    const { SK_ID_CURR: _id, ...logged } = input;
    return logLine({
      ts: start + i * 60_000,
      request_id: `what-if-req-${i}`,
      replica: 'api-7',
      applicant_ref: `what-if-${i}`,
      input: logged,
      output: { probability: 0.05, decision: 'approve', threshold: 0.082 },
      latency_ms: 2,
    });
  });
  const file = join(own.dir, 'predictions-api-7-2026-12-21.jsonl');
  writeFileSync(file, `${records.join('\n')}\n`);
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: /^Sources/ })
    .click();
  await page.getByTestId('upload-input').setInputFiles(file);
  await expect(page.getByTestId('import-message')).toContainText('Imported 3 new record(s)', { timeout: 60_000 });
});

test('key 6 opens What-if on the reference medians, scored by the three models', async () => {
  await page.locator('body').press('6');
  await expect(page.getByRole('heading', { level: 1, name: 'What-if' })).toBeVisible();
  for (const role of ['champion', 'challenger', 'fallback']) {
    await expect(page.getByTestId(`probability-${role}`)).toHaveText(/^\d+\.\d\d %$/, { timeout: 60_000 });
  }
  await expect(page.getByTestId('answer-champion')).toContainText('v1');
  await expect(page.getByTestId('answer-champion')).toContainText('served by champion');
  await expect(page.getByTestId('answer-challenger')).toContainText('v3');
  await expect(page.getByTestId('answer-fallback')).toContainText('v2');
  await expect(page.getByText('≥ -25550 and ≤ -6570').first()).toBeVisible();
});

test('a golden applicant fills the form; changing EXT_SOURCE_2 moves all three probabilities', async () => {
  const golden = goldenInputs(1)[0]!;
  await page.getByLabel('Golden applicant').selectOption({ index: 1 });
  await expect(page.locator('#field-EXT_SOURCE_2')).toHaveValue(String(golden.EXT_SOURCE_2));
  await expect(page.locator('#field-NAME_INCOME_TYPE')).toHaveValue(String(golden.NAME_INCOME_TYPE));
  await expect(page.getByTestId('form-status')).toContainText('Golden #1');
  await expect(page.getByTestId('delta-champion')).toContainText('+0.00 pts', { timeout: 30_000 });
  const before = await probabilities();
  await page.locator('#field-EXT_SOURCE_2').fill('0.05');
  for (const [i, role] of ['champion', 'challenger', 'fallback'].entries()) {
    await expect(page.getByTestId(`probability-${role}`)).not.toHaveText(before[i]!);
  }
  await expect(page.getByTestId('delta-champion')).toContainText('+');
  await shot('what-if-01-golden-changed');
});

test('an out-of-range value is marked with the validator message and nothing is sent', async () => {
  await expect(page.getByTestId('form-status')).not.toContainText('scoring');
  const shown = await probabilities();
  const sent = scoreCalls.length;
  await page.locator('#field-EXT_SOURCE_2').fill('1.7');
  await expect(page.getByTestId('error-EXT_SOURCE_2')).toHaveText('EXT_SOURCE_2 must be >= 0 and <= 1, got 1.7');
  await expect(page.locator('#field-EXT_SOURCE_2')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('form-status')).toContainText('nothing is sent until the form is valid');
  await page.waitForTimeout(1000);
  expect(scoreCalls.length).toBe(sent);
  expect(await probabilities()).toEqual(shown);
  await shot('what-if-02-invalid');
  await page.locator('#field-EXT_SOURCE_2').fill('0.3');
  await expect(page.getByTestId('error-EXT_SOURCE_2')).toHaveCount(0);
  await expect.poll(() => scoreCalls.length).toBeGreaterThan(sent);
});

test('the sensitivity chart and the flip table appear', async () => {
  const chart = page.getByTestId('sensitivity');
  await expect(chart).toHaveAttribute('data-points', '100');
  await expect(chart.locator('canvas')).toBeVisible();
  const flips = page.getByRole('table', { name: 'What flips the decision' });
  await expect(flips.locator('tbody tr').first()).toBeVisible();
  await expect(flips.locator('tr[data-flips="true"]').first()).toBeVisible();
  await expect(flips).toContainText('no single change flips it');
  await page.getByLabel('Sensitivity field').selectOption('NAME_EDUCATION_TYPE');
  await expect(chart).toHaveAttribute('data-points', '5');
});

test('the reasons waterfall runs from the base rate to the shown probability', async () => {
  const waterfall = page.getByTestId('waterfall');
  await expect(waterfall.locator('[data-contribution]').first()).toBeVisible();
  await expect(page.getByTestId('form-status')).not.toContainText('scoring');
  const base = Number(await waterfall.getAttribute('data-base'));
  const contributions = await waterfall
    .locator('[data-contribution]')
    .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-contribution'))));
  const total = base + contributions.reduce((a, b) => a + b, 0);
  expect(total).toBeCloseTo(Number(await waterfall.getAttribute('data-probability')), 9);
  const shown = (await page.getByTestId('probability-champion').textContent())!;
  expect((total * 100).toFixed(2)).toBe(shown.replace(' %', ''));
  await expect(page.getByTestId('waterfall-probability')).toHaveText(shown);
  await expect(page.getByRole('list', { name: 'Top reasons' })).toContainText(
    /(raises|lowers) the risk by \d+\.\d points/,
  );
  await expect(page.getByTestId('reasons-method')).toContainText(/\d[\d,]* model evaluations/);
  await expect(page.getByTestId('reasons-method')).toContainText('standard error');
  await expect(page.getByTestId('reasons-method')).toContainText('SK_ID_CURR');
  await shot('what-if-03-explained');
});

test('a stored request found by its id fills the form with its logged input', async () => {
  const logged = goldenInputs(2)[1]!;
  await page.getByLabel('Stored request id').fill('what-if-req-1');
  await page.getByRole('button', { name: 'Open request' }).click();
  await expect(page.locator('#field-AMT_CREDIT')).toHaveValue(String(logged.AMT_CREDIT));
  await expect(page.locator('#field-EXT_SOURCE_2')).toHaveValue(String(logged.EXT_SOURCE_2));
  await expect(page.getByText('SK_ID_CURR is not logged')).toBeVisible();
  await expect(page.getByTestId('form-status')).toContainText('Stored request what-if-req-1');
  await page.getByLabel('Stored request id').fill('no-such-request');
  await page.getByRole('button', { name: 'Open request' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'No stored request has the id "no-such-request"' }),
  ).toBeVisible();
});

test('a named scenario is saved in the store, reloaded and exported as JSON', async () => {
  await page.locator('#field-AMT_INCOME_TOTAL').fill('99000');
  await page.getByLabel('Scenario name').fill('low income');
  await page.getByRole('button', { name: 'Save scenario' }).click();
  await expect(page.getByTestId('scenario-message')).toHaveText('Saved "low income".');
  await page.getByLabel('Golden applicant').selectOption({ index: 1 });
  await expect(page.locator('#field-AMT_INCOME_TOTAL')).not.toHaveValue('99000');
  await page.getByLabel('Saved scenario').selectOption('low income');
  await expect(page.locator('#field-AMT_INCOME_TOTAL')).toHaveValue('99000');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const saved = join(own.dir, 'scenario.json');
  await download.saveAs(saved);
  expect(JSON.parse(readFileSync(saved, 'utf8'))).toMatchObject({ applicant: { AMT_INCOME_TOTAL: 99000 } });
});

test('batch scoring a file with bad rows lists them by line and downloads the scored file', async () => {
  const sample = gunzipSync(readFileSync(join(PACKAGE, 'reference/sample.csv.gz')))
    .toString('utf8')
    .split('\n');
  const header = sample[0]!.split(',');
  const rows = sample.slice(1, 41);
  const broken = rows[4]!.split(',');
  broken[header.indexOf('EXT_SOURCE_2')] = '7';
  rows[4] = broken.join(',');
  const text = rows[9]!.split(',');
  text[header.indexOf('AMT_CREDIT')] = 'lots';
  rows[9] = text.join(',');
  const file = join(own.dir, 'applicants.csv');
  writeFileSync(file, `${[sample[0], ...rows].join('\n')}\n`);

  await page.getByRole('tab', { name: 'Batch scoring' }).click();
  await page.locator('#batch-file').setInputFiles(file);
  await page.getByLabel('Batch model').selectOption('challenger');
  await page.getByRole('button', { name: 'Score file' }).click();
  await expect(page.getByTestId('stat-rows')).toHaveText('40', { timeout: 60_000 });
  await expect(page.getByTestId('stat-scored')).toHaveText('38');
  await expect(page.getByTestId('stat-invalid-rows')).toHaveText('2');
  await expect(page.getByTestId('stat-drift-verdict')).toHaveText(/drift/);
  const invalid = page.getByRole('table', { name: 'Invalid rows' });
  await expect(invalid.locator('tr[data-line="6"]')).toContainText('EXT_SOURCE_2 must be >= 0 and <= 1, got 7');
  await expect(invalid.locator('tr[data-line="11"]')).toContainText('AMT_CREDIT must be a number');
  await expect(
    page.getByRole('img', { name: 'Probability histogram of the batch against the reference' }),
  ).toBeVisible();
  await shot('what-if-04-batch');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download scored file' }).click(),
  ]);
  const saved = join(own.dir, 'scored.csv');
  await download.saveAs(saved);
  const lines = readFileSync(saved, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('line,row,id,probability,decision,served_by,model_version,error_code,error_message');
  expect(lines).toHaveLength(41);
  expect(lines[1]).toMatch(/^2,1,,0\.\d+,(approve|refuse),champion,3,,$/);
  expect(lines[5]).toMatch(/^6,5,,,,,,VALIDATION_FAILED,/);
});

test('a long batch shows its progress and stops on Cancel', async () => {
  test.setTimeout(240_000);
  const sample = gunzipSync(readFileSync(join(PACKAGE, 'reference/sample.csv.gz')))
    .toString('utf8')
    .trim()
    .split('\n');
  const body = sample.slice(1).join('\n');
  const file = join(own.dir, 'many.csv.gz');
  const { gzipSync } = await import('node:zlib');
  // 300 000 rows; Cancel may land while the file is still uploading, before the backend's operation exists.
  writeFileSync(file, gzipSync(`${sample[0]}\n${Array.from({ length: 15 }, () => body).join('\n')}\n`, { level: 1 }));
  await page.locator('#batch-file').setInputFiles(file);
  await page.getByRole('button', { name: 'Score file' }).click();
  // The earlier batch's finished bar may still show beside this one's.
  await expect(page.getByRole('progressbar').last()).toBeVisible();
  // The batch panel's own Cancel: once the backend's operation exists, the operations bar shows one for it too.
  await page.getByRole('region', { name: 'Batch scoring' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The operation was cancelled.' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
});

test('a file whose header lacks required columns is one error naming them', async () => {
  const file = join(own.dir, 'short.csv');
  writeFileSync(file, 'AMT_CREDIT,CODE_GENDER\n1000,F\n2000,M\n');
  await page.locator('#batch-file').setInputFiles(file);
  await page.getByRole('button', { name: 'Score file' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Cannot score this file' });
  await expect(alert).toContainText('the CSV header lacks the required columns SK_ID_CURR');
  await expect(alert).toHaveCount(1);
});
