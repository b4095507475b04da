/** Importing shipped log files from a real S3-compatible server (moto) started on loopback for these tests. */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestObjectStore, ObjectStoreError } from '../../../core/ingest/index.ts';
import { openStore, type Store } from '../../../db/index.ts';
import { MOTO_CREDENTIALS, startMoto, type MotoServer } from '../../helpers/moto-server.ts';
import { jsonl, line, makeRecord, records } from './fixtures.ts';

let moto: MotoServer;
let store: Store;
let bucket: string;
let counter = 0;

beforeAll(async () => {
  moto = await startMoto();
}, 300_000);

afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  store = openStore(':memory:');
  bucket = `vigie-logs-${++counter}`;
  await moto.createBucket(bucket);
  return () => store.close();
});

const location = () => ({ endpoint: moto.endpoint, bucket, prefix: 'production/' });

describe('importing from object storage', () => {
  it('imports every shipped log file under the prefix, plain and gzipped, and nothing else', async () => {
    await moto.put(bucket, 'production/predictions-api-0-2026-11-21.jsonl.gz', gzipSync(jsonl(records(0, 40))));
    await moto.put(bucket, 'production/predictions-api-1-2026-11-21.jsonl', jsonl(records(40, 70)));
    await moto.put(bucket, 'production/README.txt', 'not a log');
    await moto.put(bucket, 'staging/predictions-api-9-2026-11-21.jsonl', jsonl(records(100, 110)));
    const summary = await ingestObjectStore(store, location(), MOTO_CREDENTIALS);
    expect(summary).toMatchObject({ files: 2, inserted: 70, duplicates: 0, quarantined: 0, errors: [] });
    expect(store.count()).toBe(70);
    expect(
      store.catalog
        .listSources()
        .map((source) => source.location)
        .sort(),
    ).toEqual([
      `s3://${bucket}/production/predictions-api-0-2026-11-21.jsonl.gz`,
      `s3://${bucket}/production/predictions-api-1-2026-11-21.jsonl`,
    ]);
  });

  it('remembers what it imported: a second run downloads nothing and inserts nothing', async () => {
    await moto.put(bucket, 'production/a.jsonl.gz', gzipSync(jsonl(records(0, 20))));
    await ingestObjectStore(store, location(), MOTO_CREDENTIALS);
    const again = await ingestObjectStore(store, location(), MOTO_CREDENTIALS);
    expect(again).toMatchObject({ files: 1, skipped: 1, inserted: 0, lines: 0 });
    await moto.put(bucket, 'production/b.jsonl.gz', gzipSync(jsonl(records(20, 30))));
    const third = await ingestObjectStore(store, location(), MOTO_CREDENTIALS);
    expect(third).toMatchObject({ files: 2, skipped: 1, inserted: 10 });
  });

  it('deduplicates records shipped twice and quarantines bad lines with their object and line', async () => {
    await moto.put(bucket, 'production/a.jsonl', jsonl(records(0, 10)));
    await moto.put(bucket, 'production/a-again.jsonl.gz', gzipSync(jsonl([...records(5, 15), '{not json'])));
    const summary = await ingestObjectStore(store, location(), MOTO_CREDENTIALS);
    expect(summary).toMatchObject({ inserted: 15, duplicates: 5, quarantined: 1 });
    const [bad] = store.catalog.listQuarantine({ limit: 10 }).rows;
    expect(bad).toMatchObject({ lineNo: 11 });
    expect(JSON.stringify(bad)).toContain(`s3://${bucket}/production/a-again.jsonl.gz`);
  });

  it("imports a replica's file that appears while the import runs, in the same run", async () => {
    await moto.put(bucket, 'production/api-0.jsonl', jsonl(records(0, 30)));
    const listings: string[][] = [];
    const summary = await ingestObjectStore(store, location(), MOTO_CREDENTIALS, {
      batchSize: 10,
      onListed: async (objects) => {
        listings.push(objects.map((object) => object.key));
        // The shipper of another replica uploads after the first listing, before the first file is imported (the
        // upload is awaited: one not finished before the re-listing would make the test depend on timing).
        if (listings.length === 1)
          await moto.put(bucket, 'production/api-1.jsonl', jsonl([line(makeRecord(500)), line(makeRecord(501))]));
      },
    });
    expect(listings[0]).toEqual(['production/api-0.jsonl']);
    expect(listings.flat()).toContain('production/api-1.jsonl');
    expect(summary).toMatchObject({ files: 2, inserted: 32 });
  });

  it('resumes an interrupted import after its last committed batch', async () => {
    await moto.put(bucket, 'production/big.jsonl.gz', gzipSync(jsonl(records(0, 6000))));
    const controller = new AbortController();
    const first = await ingestObjectStore(store, location(), MOTO_CREDENTIALS, {
      batchSize: 500,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.lines >= 1500) controller.abort();
      },
    });
    expect(first.aborted).toBe(true);
    expect(store.count()).toBeGreaterThanOrEqual(1500);
    expect(store.count()).toBeLessThan(6000);
    const second = await ingestObjectStore(store, location(), MOTO_CREDENTIALS, { batchSize: 500 });
    expect(second.duplicates).toBe(0);
    expect(second.lines).toBe(6000 - first.lines);
    expect(store.count()).toBe(6000);
  });

  it('says which setting is wrong when the bucket does not exist or the endpoint does not answer', async () => {
    await expect(
      ingestObjectStore(store, { ...location(), bucket: 'no-such-bucket' }, MOTO_CREDENTIALS),
    ).rejects.toThrow(/the bucket "no-such-bucket" does not exist at this endpoint/);
    await expect(
      ingestObjectStore(store, { ...location(), endpoint: 'http://127.0.0.1:9' }, MOTO_CREDENTIALS),
    ).rejects.toThrow(ObjectStoreError);
  });
});
