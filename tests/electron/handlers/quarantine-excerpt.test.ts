/** Quarantined lines that are not UTF-8 read as a short marker, not as a wall of replacement characters. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { QuarantinePage } from '../../../console-api/types.ts';
import { createDispatcher } from '../../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../../electron/backend/api/methods.ts';
import { readableExcerpt } from '../../../electron/backend/handlers/sources.ts';
import { useConsoleServices } from '../../helpers/console-services.ts';
import { logRecord } from '../helpers.ts';

const ctx = useConsoleServices();

it('shows invalid UTF-8 in a quarantined line as a marker and binary lines as binary', async () => {
  const good = JSON.stringify(logRecord(1, Date.UTC(2026, 10, 20)));
  const latin1 = Buffer.from('{"request_id": "caf\xe9", broken', 'latin1');
  const binary = Buffer.from(Array.from({ length: 300 }, (_, i) => 0x80 + (i % 100)));
  const file = join(ctx.fixture.dir, 'predictions-api-0-2026-11-20.jsonl');
  writeFileSync(file, Buffer.concat([Buffer.from(`${good}\n`), latin1, Buffer.from('\n'), binary, Buffer.from('\n')]));
  const api = createDispatcher(METHODS, ctx.services, () => undefined);
  expect((await api.call('i', 'importFiles', { paths: [file] })).ok).toBe(true);
  const result = await api.call('q', 'listQuarantine', {});
  if (!result.ok) throw new Error(result.error.message);
  const excerpts = (result.value as QuarantinePage).rows.map((r) => r.excerpt);
  expect(excerpts).toHaveLength(2);
  expect(excerpts[0]).toBe('{"request_id": "caf⟨not UTF-8⟩", broken');
  expect(excerpts[1]).toMatch(/^⟨binary data, not text: \d+ characters⟩$/);
  expect(excerpts.join('')).not.toContain('\uFFFD');
});

it('cuts a long excerpt with an ellipsis', () => {
  expect(readableExcerpt('x'.repeat(1000))).toHaveLength(241);
});
