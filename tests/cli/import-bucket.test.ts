/** `vigie import-bucket`, run as a user would, against a real S3-compatible server (moto) on loopback. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS, startMoto, type MotoServer } from '../helpers/moto-server.ts';
import { runCli } from '../helpers/run-cli.ts';
import { jsonl, records } from '../core/ingest/fixtures.ts';

let moto: MotoServer;
let dir: string;
const env = () => ({
  AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
});

beforeAll(async () => {
  moto = await startMoto();
  await moto.createBucket('cli-logs');
  await moto.put('cli-logs', 'production/predictions-api-0-2026-11-21.jsonl.gz', gzipSync(jsonl(records(0, 12))));
  dir = mkdtempSync(join(tmpdir(), 'vigie-import-bucket-'));
}, 300_000);

afterAll(async () => {
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('vigie import-bucket', () => {
  it('imports the shipped files once, then nothing on the next run', async () => {
    const args = [
      'import-bucket',
      's3://cli-logs/production/',
      '--endpoint',
      moto.endpoint,
      '--db',
      join(dir, 's.sqlite'),
      '--json',
    ];
    const first = await runCli(args, { env: env() });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ files: 1, inserted: 12, skipped: 0 });
    const second = await runCli(args, { env: env() });
    expect(JSON.parse(second.stdout)).toMatchObject({ files: 1, inserted: 0, skipped: 1 });
  });

  it('says what to set when the credentials are missing, and what a bucket address looks like', async () => {
    const missing = await runCli(['import-bucket', 's3://cli-logs/', '--endpoint', moto.endpoint], {
      env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    const bad = await runCli(['import-bucket', 'cli-logs/production', '--endpoint', moto.endpoint], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('write s3://<bucket>/<prefix>');
  });

  it('names the bucket that does not exist', async () => {
    const result = await runCli(
      ['import-bucket', 's3://no-such-bucket/', '--endpoint', moto.endpoint, '--db', join(dir, 't.sqlite')],
      { env: env() },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the bucket "no-such-bucket" does not exist at this endpoint');
  });
});
