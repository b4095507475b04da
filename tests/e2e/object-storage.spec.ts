/**
 * Sources → Object storage, in Chromium against a real S3-compatible server (moto, started on loopback here):
 * a bucket of shipped log files is added, imported, imported again (nothing new), and a new replica's file is picked
 * up; a wrong bucket name and an unknown bucket say what to fix.
 */
import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { startMoto, MOTO_CREDENTIALS, type MotoServer } from '../helpers/moto-server.ts';
import { startOwnConsole, type OwnConsole } from './own-console.ts';
import { logLine } from './log-line.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
let own: OwnConsole;
let moto: MotoServer;
const BUCKET = 'vigie-e2e-logs';

function logFile(replica: string, count: number): Buffer {
  const start = Date.UTC(2026, 11, 22);
  const lines = Array.from({ length: count }, (_, i) =>
    logLine({
      ts: start + i * 60_000,
      request_id: `e2e-s3-${replica}-${i}`,
      replica,
      applicant_ref: `e2e-s3-${i}`,
      input: { AMT_INCOME_TOTAL: 150_000 },
    }),
  );
  return gzipSync(`${lines.join('\n')}\n`);
}

async function addStore(bucket: string) {
  await page.getByLabel('Endpoint').fill(moto.endpoint);
  await page.getByLabel('Bucket').fill(bucket);
  await page.getByLabel('Prefix').fill('production/');
  await page.getByLabel('Access key ID').fill(MOTO_CREDENTIALS.accessKeyId);
  await page.getByLabel('Secret access key').fill(MOTO_CREDENTIALS.secretAccessKey);
  await page.getByRole('form', { name: 'Add an object store' }).getByRole('button', { name: 'Save' }).click();
}

function storeRow(bucket: string) {
  return page
    .getByRole('table', { name: 'Object stores' })
    .getByRole('row')
    .filter({ hasText: `s3://${bucket}/` });
}

test.beforeAll(async ({ browser }) => {
  own = await startOwnConsole('vigie-e2e-object-storage-');
  test.setTimeout(300_000);
  moto = await startMoto();
  await moto.createBucket(BUCKET);
  await moto.put(BUCKET, 'production/predictions-api-a-2026-12-22.jsonl.gz', logFile('api-a', 25));
  page = await browser.newPage();
  await page.goto(own.url);
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: /^Sources/ })
    .click();
});

test.afterAll(async () => {
  await page?.close();
  await moto?.stop();
  await own.stop();
});

test('a bucket of shipped logs is added and imported, then only new files are', async () => {
  await addStore(BUCKET);
  await expect(storeRow(BUCKET)).toContainText('stored');
  await storeRow(BUCKET).getByRole('button', { name: 'Import now' }).click();
  const message = page.getByTestId('import-message');
  await expect(message).toContainText('1 file(s) in the bucket. Imported 25 new record(s)', { timeout: 60_000 });
  const history = page.getByRole('row').filter({ hasText: 'predictions-api-a-2026-12-22.jsonl.gz' });
  await expect(history).toContainText('object storage');
  await expect(history.locator('td.path')).toHaveAttribute(
    'title',
    `s3://${BUCKET}/production/predictions-api-a-2026-12-22.jsonl.gz`,
  );

  await storeRow(BUCKET).getByRole('button', { name: 'Import now' }).click();
  await expect(message).toContainText('1 file(s) in the bucket. Imported 0 new record(s)', { timeout: 60_000 });

  await moto.put(BUCKET, 'production/predictions-api-b-2026-12-22.jsonl.gz', logFile('api-b', 7));
  await storeRow(BUCKET).getByRole('button', { name: 'Import now' }).click();
  await expect(message).toContainText('2 file(s) in the bucket. Imported 7 new record(s)', { timeout: 60_000 });
});

test('a wrong bucket name and a bucket that does not exist say what to fix', async () => {
  await addStore('Bad_Bucket');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('the bucket name must be 3 to 63 lowercase letters, digits, dots or hyphens');
  await addStore('no-such-bucket');
  await storeRow('no-such-bucket').getByRole('button', { name: 'Import now' }).click();
  await expect(alert).toContainText('the bucket "no-such-bucket" does not exist at this endpoint');
  await expect(alert).toContainText('Check the endpoint, bucket, prefix and keys in Sources');
  await storeRow('no-such-bucket').getByRole('button', { name: 'Remove' }).click();
  await expect(storeRow('no-such-bucket')).toHaveCount(0);
});
