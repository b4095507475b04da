/** An exported report names the store by its file name, never by the folders of the machine that wrote it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createDispatcher } from '../../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../../electron/backend/api/methods.ts';
import { useConsoleServices } from '../../helpers/console-services.ts';
import { writeLogFile } from '../helpers.ts';

const ctx = useConsoleServices();

it('puts no absolute store path in the report', async () => {
  const api = createDispatcher(METHODS, ctx.services, () => undefined);
  await api.call('i', 'importFiles', { paths: [writeLogFile(ctx.fixture.dir, 'a.jsonl', 60)] });
  const out = join(ctx.fixture.dir, 'report.json');
  const result = await api.call('r', 'exportReport', { format: 'json', path: out });
  expect(result.ok).toBe(true);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { source: string };
  expect(report.source).toBe('store.sqlite');
  expect(readFileSync(out, 'utf8')).not.toContain(ctx.fixture.dir);
}, 60_000);
