/**
 * The Models and Profiling pages end to end, in Chromium, against a `vigie console` of its own over a copy of the
 * committed model registry (promotions here must not touch models/registry.json): the three packages with their
 * aliases and a drawn reliability diagram, a promotion with a reason that moves the alias, shows in the history and
 * in `vigie models list`, a rollback that restores it, and a profiling run of two variants × three batch sizes that
 * shows progress, draws its charts and exports a report that opens.
 */
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { runCli } from '../helpers/run-cli.ts';
import { startOwnConsole, type OwnConsole } from './own-console.ts';

const RESULTS = 'tests/e2e/results';

test.describe.configure({ mode: 'serial' });

let page: Page;
let modelsDir: string;
let own: OwnConsole;

async function openPage(title: string) {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: new RegExp(`^${title}`) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

async function changeAlias(action: 'Promote' | 'Roll back', version: string | null, reason: string) {
  const form = page.getByRole('region', { name: 'Change an alias' });
  await form.getByLabel('Action').selectOption({ label: action });
  await form.getByLabel('Alias').selectOption('champion');
  if (version) await form.getByLabel('Version').selectOption(version);
  await form.getByLabel('Reason (required)').fill(reason);
  await form.getByRole('button', { name: `${action}…` }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Confirm the alias change' });
  await expect(dialog).toContainText(reason);
  await dialog.getByRole('button', { name: action === 'Promote' ? 'Confirm promotion' : 'Confirm rollback' }).click();
  await expect(page.getByTestId('alias-changed')).toBeVisible();
}

async function cliAliases(): Promise<string> {
  const listed = await runCli(['models', 'list', '--models-dir', modelsDir]);
  expect(listed.code).toBe(0);
  return listed.stdout;
}

test.beforeAll(async ({ browser }) => {
  own = await startOwnConsole('vigie-e2e-models-', (dir) => {
    modelsDir = join(dir, 'models');
    mkdirSync(modelsDir);
    cpSync('models/registry.json', join(modelsDir, 'registry.json'));
    cpSync('models/credit-default', join(modelsDir, 'credit-default'), { recursive: true });
    return ['--models', modelsDir];
  });
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

test('the Models page shows the three packages, their aliases and a reliability diagram', async () => {
  await openPage('Models');
  const table = page.getByRole('table', { name: 'Registered versions' });
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(page.getByTestId('aliases-1')).toContainText('champion');
  await expect(page.getByTestId('aliases-2')).toContainText('fallback');
  await expect(page.getByTestId('aliases-3')).toContainText('challenger');
  const diagram = page.getByRole('img', { name: /^Reliability diagram of version 1/ });
  await expect(diagram.locator('canvas')).toBeVisible();
  await expect(page.getByRole('img', { name: /^Reliability diagram of version 3/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Version comparison' })).toContainText('Cost per applicant');
  await expect(
    page.getByRole('img', { name: /^Business cost per applicant against the threshold for version 1/ }),
  ).toBeVisible();
  await page.screenshot({ path: join(RESULTS, 'models-page.png'), fullPage: true });
});

test('promotion needs a reason, and nothing changes without one', async () => {
  const form = page.getByRole('region', { name: 'Change an alias' });
  await form.getByLabel('Reason (required)').fill('');
  await form.getByRole('button', { name: 'Promote…' }).click();
  await expect(form.getByRole('alert')).toContainText('Write a reason');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(page.getByTestId('aliases-1')).toContainText('champion');
});

test('promoting the challenger moves the alias, shows in the history and in vigie models list', async () => {
  await changeAlias('Promote', '3', 'e2e: the tensorized variant scores the same');
  await expect(page.getByTestId('aliases-3')).toContainText('champion');
  await expect(page.getByTestId('aliases-1')).not.toContainText('champion');
  await expect(page.getByRole('table', { name: 'Alias history' })).toContainText(
    'e2e: the tensorized variant scores the same',
  );
  expect(await cliAliases()).toMatch(/credit-default\s+3\s+champion,challenger/);
});

test('rolling back restores the previous champion', async () => {
  await changeAlias('Roll back', null, 'e2e: back to the tree ensemble');
  await expect(page.getByTestId('aliases-1')).toContainText('champion');
  await expect(page.getByTestId('aliases-3')).not.toContainText('champion');
  await expect(page.getByRole('table', { name: 'Alias history' })).toContainText('e2e: back to the tree ensemble');
  expect(await cliAliases()).toMatch(/credit-default\s+1\s+champion\s/);
});

test('a batch size that is not a whole number is refused with what to type instead', async () => {
  await openPage('Profiling');
  await page.getByLabel('Batch sizes').fill('1,abc');
  await page.getByRole('button', { name: 'Run profiling' }).click();
  await expect(page.getByRole('alert')).toContainText('Batch sizes must be whole numbers from 1 to 65536');
  await expect(page.getByTestId('profile-progress')).toHaveCount(0);
});

test('a profiling run of two variants × three batch sizes shows progress, draws charts and exports a report', async () => {
  await openPage('Profiling');
  await expect(page.getByTestId('provider-cpu')).toContainText('offered');
  await expect(page.getByTestId('provider-coreml')).toContainText('not in this build');
  await expect(page.getByLabel('champion', { exact: true })).toBeChecked();
  await expect(page.getByLabel('challenger', { exact: true })).toBeChecked();
  await page.getByLabel('Batch sizes').fill('1,64,4096');
  await page.getByLabel('Seconds per measurement').fill('0.3');
  await page.getByRole('button', { name: 'Run profiling' }).click();
  await expect(page.getByTestId('profile-progress')).toBeVisible();
  await expect(page.getByRole('progressbar')).toBeVisible();
  await expect(page.getByTestId('profile-notice')).toContainText('finished and saved', { timeout: 90_000 });
  const results = page.getByRole('table', { name: 'Profiling results' });
  await expect(results.getByRole('row')).toHaveCount(7);
  await expect(
    page.getByRole('img', { name: 'Throughput against batch size per variant and provider' }).locator('canvas'),
  ).toBeVisible();
  await expect(
    page.getByRole('img', { name: 'p99 latency against batch size per variant and provider' }).locator('canvas'),
  ).toBeVisible();
  await expect(page.getByRole('img', { name: 'Mean time per micro-batch by engine stage' })).toBeVisible();
  await page.screenshot({ path: join(RESULTS, 'profiling-page.png'), fullPage: true });

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export HTML' }).click();
  const download = await downloading;
  const saved = join(own.dir, download.suggestedFilename());
  await download.saveAs(saved);
  expect(readFileSync(saved, 'utf8')).toContain('Strategies tried');
  const report = await page.context().newPage();
  await report.goto(pathToFileURL(saved).href);
  await expect(report.getByRole('heading', { level: 1, name: 'Vigie optimisation report' })).toBeVisible();
  await expect(report.getByRole('img', { name: 'Throughput vs batch size' })).toBeVisible();
  await report.close();
});

test('a profiling run can be cancelled, and nothing half-done is saved', async () => {
  const runs = page.getByLabel('Run', { exact: true }).locator('option');
  const before = await runs.count();
  await page.getByLabel('Seconds per measurement').fill('5');
  await page.getByRole('button', { name: 'Run profiling' }).click();
  await expect(page.getByTestId('profile-progress')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel profiling' }).click();
  await expect(page.getByTestId('profile-notice')).toContainText('cancelled: nothing was saved');
  await expect(runs).toHaveCount(before);
});
