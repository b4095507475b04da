import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogWriter } from '../../server/log-writer.ts';
import { decodeCursor, readLogPage } from '../../server/log-reader.ts';
import { removeDir, tempDir } from './helpers.ts';

describe('log paging', () => {
  it('returns every written line exactly once, in order, whatever the page size, rotation and compression, even mid-compression', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 0, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 200, max: 2000 }),
        fc.boolean(),
        fc.boolean(),
        async (paddings, limit, maxFileBytes, gzip, readWhileCompressing) => {
          const dir = tempDir();
          try {
            let now = Date.parse('2026-11-21T23:59:59.000Z');
            const writer = await LogWriter.open({
              dir,
              replica: 'p-0',
              maxFileBytes,
              fsyncMs: 100,
              gzip,
              minFreeBytes: 0,
              now: () => now,
            });
            const lines = paddings.map(
              (padding, n) => `${JSON.stringify({ request_id: `r${n}`, pad: 'x'.repeat(padding) })}\n`,
            );
            lines.forEach((line, n) => {
              if (n === Math.floor(lines.length / 2)) now += 1000; // crosses UTC midnight half way
              writer.append(line);
            });
            if (!readWhileCompressing) await writer.idle();
            const read: string[] = [];
            let cursor = null;
            for (let page = 0; page < 1000; page += 1) {
              const result = await readLogPage({ dir, replica: 'p-0', cursor, limit, maxBytes: 8 * 1024 * 1024 });
              expect(result.records).toBeLessThanOrEqual(limit);
              read.push(
                ...result.body
                  .toString('utf8')
                  .split(/(?<=\n)/)
                  .filter((l) => l !== ''),
              );
              if (result.nextCursor !== null) cursor = decodeCursor(result.nextCursor, 'p-0');
              if (!result.hasMore) break;
            }
            await writer.close();
            expect(read).toEqual(lines);
          } finally {
            removeDir(dir);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
