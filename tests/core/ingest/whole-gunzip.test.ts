import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { readLogBatches, type LogBatch } from '../../../core/ingest/log-batches.ts';
import { gunzipWhole, loadWholeGunzip } from '../../../core/ingest/whole-gunzip.ts';
import { ingestPaths } from '../../../core/ingest/index.ts';
import { jsonl, records, useTempStores } from './fixtures.ts';

const fixtures = useTempStores();
const available = await loadWholeGunzip();

async function read(path: string, whole: boolean): Promise<Array<Omit<LogBatch, 'bytesRead'>>> {
  const batches: Array<Omit<LogBatch, 'bytesRead'>> = [];
  for await (const { bytesRead: _, ...batch } of readLogBatches(path, { batchSize: 400, whole })) batches.push(batch);
  return batches;
}

const content = (from: number, to: number): Buffer => Buffer.from(jsonl([...records(from, to), '{"cut": ']));

describe('reading a .gz file whole', () => {
  it.skipIf(!available)('decompresses with libdeflate the bytes zlib gives', () => {
    const plain = content(0, 2000);
    expect(gunzipWhole(gzipSync(plain))?.equals(plain)).toBe(true);
  });

  it('gives the batches the stream gives: records, quarantined lines and line counts', async () => {
    const file = fixtures.dir().file('a.jsonl.gz', gzipSync(content(0, 2000)));
    const whole = await read(file, true);
    expect(whole.length).toBeGreaterThan(3);
    expect(whole).toEqual(await read(file, false));
  });

  it('reads every member of a file of several gzip members, as the stream does', async () => {
    const file = fixtures
      .dir()
      .file('b.jsonl.gz', Buffer.concat([gzipSync(content(0, 700)), gzipSync(content(700, 900))]));
    const whole = await read(file, true);
    expect(whole.reduce((n, b) => n + b.rows.length, 0)).toBe(900);
    expect(whole).toEqual(await read(file, false));
  });

  it('leaves a trailer whose size is wrong, damaged or cut data to the stream, which says where it stops', async () => {
    const gz = gzipSync(content(0, 2000));
    const wrongSize = Buffer.from(gz);
    wrongSize.writeUInt32LE(gz.readUInt32LE(gz.length - 4) - 1, gz.length - 4);
    const corrupt = Buffer.from(gz);
    corrupt.fill(0x41, gz.length >> 1, (gz.length >> 1) + 64);
    expect(gunzipWhole(wrongSize)).toBeNull();
    expect(gunzipWhole(corrupt)).toBeNull();
    expect(gunzipWhole(gz.subarray(0, gz.length >> 1))).toBeNull();
    for (const bytes of [wrongSize, corrupt, gz.subarray(0, gz.length >> 1)]) {
      const file = fixtures.dir().file('c.jsonl.gz', bytes);
      const whole = await read(file, true);
      expect(whole.at(-1)!.damaged ?? '').toMatch(wrongSize === bytes ? /^$|damaged/ : /gzip data is damaged/);
      expect(whole).toEqual(await read(file, false));
    }
  });

  it('reads an empty .gz file and a file that is not gzip as the stream does', async () => {
    const empty = fixtures.dir().file('d.jsonl.gz', gzipSync(Buffer.alloc(0)));
    expect(await read(empty, true)).toEqual(await read(empty, false));
    const notGzip = fixtures.dir().file('e.jsonl.gz', content(0, 10));
    const whole = await read(notGzip, true);
    expect(whole.at(-1)!.damaged).toMatch(/gzip data is damaged/);
    expect(whole).toEqual(await read(notGzip, false));
  });

  it('imports a file of several members on reader threads as on the importing thread', async () => {
    const file = fixtures
      .dir()
      .file('f.jsonl.gz', Buffer.concat([gzipSync(content(0, 500)), gzipSync(content(500, 800))]));
    const threaded = await ingestPaths(fixtures.newStore(), [file], { threads: true });
    const inline = await ingestPaths(fixtures.newStore(), [file], { threads: false });
    expect({ ...threaded, seconds: 0 }).toEqual({ ...inline, seconds: 0 });
    expect(threaded).toMatchObject({ inserted: 800, quarantined: 2 });
  });
});
