/** "Model versions in traffic": versions that exist with their aliases, unknown ones said so, shares explained. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { OverviewResult } from '../../../console-api/types.ts';
import { createDispatcher } from '../../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../../electron/backend/api/methods.ts';
import { useConsoleServices } from '../../helpers/console-services.ts';
import { logRecord } from '../helpers.ts';

const ctx = useConsoleServices();

it('lists each version with its alias, flags one the registry does not know, and counts requests no model answered', async () => {
  const start = Date.UTC(2026, 10, 20);
  const lines = [
    ...Array.from({ length: 6 }, (_, i) => logRecord(i, start + i * 60_000)),
    logRecord(6, start + 6 * 60_000, { model: { name: 'fixture-credit', version: '9', alias: null } }),
    logRecord(7, start + 7 * 60_000, {
      status: 'rejected',
      http_status: 401,
      model: null,
      served_by: null,
      input: null,
      output: null,
      error: { code: 'UNAUTHENTICATED', message: 'no key' },
    }),
  ].map((r) => JSON.stringify(r));
  const file = join(ctx.fixture.dir, 'predictions-api-0-2026-11-20.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const api = createDispatcher(METHODS, ctx.services, () => undefined);
  const imported = await api.call('i', 'importFiles', { paths: [file] });
  expect(imported.ok).toBe(true);
  const result = await api.call('o', 'overview', {});
  if (!result.ok) throw new Error(result.error.message);
  const overview = result.value as OverviewResult;
  expect(overview.modelVersions.map((m) => [m.version, m.aliases, m.unregistered])).toEqual([
    ['1', ['champion'], false],
    ['9', [], true],
  ]);
  expect(overview.requestsWithoutModel).toBe(1);
  expect(overview.modelVersions.reduce((a, m) => a + m.count, 0) + overview.requestsWithoutModel).toBe(
    overview.totals.requests,
  );
});
