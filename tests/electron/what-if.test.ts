import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../electron/backend/api/methods.ts';
import { createServices, type Services } from '../../electron/backend/services.ts';
import { logRecord, tempConsole } from './helpers.ts';

let fixture: ReturnType<typeof tempConsole>;
let services: Services;
let api: Dispatcher;
let golden: Record<string, unknown>;

beforeAll(async () => {
  fixture = tempConsole();
  services = createServices({ ...fixture.config, modelsDir: 'models' }, null, () => undefined);
  api = createDispatcher(METHODS, services, () => undefined);
  golden = (
    JSON.parse(readFileSync('models/credit-default/1/golden.jsonl', 'utf8').split('\n')[0]!) as {
      input: Record<string, unknown>;
    }
  ).input;
  const { SK_ID_CURR: _id, ...logged } = golden;
  const file = join(fixture.dir, 'predictions-api-0-2026-11-20.jsonl');
  const records = [0, 1, 2].map((i) =>
    JSON.stringify(logRecord(i, Date.UTC(2026, 10, 20) + i * 60_000, { input: logged })),
  );
  writeFileSync(file, `${records.join('\n')}\n`);
  expect(await api.call('i', 'importFiles', { paths: [file] })).toMatchObject({ ok: true, value: { inserted: 3 } });
});

afterAll(async () => {
  services.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  fixture.cleanup();
});

describe('the What-if methods of the console backend', () => {
  it('score a golden applicant with champion, challenger and fallback', async () => {
    const result = await api.call('s', 'whatIfScore', { applicant: golden });
    expect(result.ok).toBe(true);
    const answers = (result as { value: { answers: Array<{ role: string; version: string }> } }).value.answers;
    expect(answers.map((a) => [a.role, a.version])).toEqual([
      ['champion', '1'],
      ['challenger', '3'],
      ['fallback', '2'],
    ]);
  });

  it('refuse an invalid applicant with the validator’s message per field', async () => {
    const result = await api.call('s', 'whatIfScore', { applicant: { ...golden, EXT_SOURCE_2: 3 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'APPLICANT_INVALID' } });
    const { error } = result as { error: { message: string; issues: Array<{ path: string; message: string }> } };
    expect(error.issues).toContainEqual(
      expect.objectContaining({ path: 'EXT_SOURCE_2', message: 'EXT_SOURCE_2 must be >= 0 and <= 1, got 3' }),
    );
    expect(await api.call('s', 'whatIfScore', { applicant: [1, 2] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('find a stored request by id, standing in for the SK_ID_CURR the API does not log', async () => {
    const found = await api.call('f', 'findRequest', { requestId: 'req-1' });
    expect(found).toMatchObject({ ok: true, value: { request: { requestId: 'req-1' } } });
    const { value } = found as { value: { applicant: Record<string, unknown>; notes: string[] } };
    expect(value.applicant).toMatchObject({ SK_ID_CURR: 1, AMT_CREDIT: golden.AMT_CREDIT });
    expect(value.notes.join(' ')).toContain('SK_ID_CURR is not logged');
    expect(await api.call('f', 'findRequest', { requestId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'REQUEST_NOT_FOUND', message: expect.stringContaining('"nope"') },
    });
    expect(await api.call('l', 'listRequests', { search: 'req-' })).toMatchObject({ ok: true, value: { total: 3 } });
  });

  it('save, list and delete named scenarios; an unknown one is named in the error', async () => {
    expect(await api.call('a', 'saveScenario', { name: 'base', applicant: golden, origin: 'golden' })).toMatchObject({
      ok: true,
      value: { scenarios: [{ name: 'base', origin: 'golden' }] },
    });
    expect(
      await api.call('a', 'saveScenario', { name: 'bad', applicant: { ...golden, CNT_CHILDREN: -1 } }),
    ).toMatchObject({ ok: false, error: { code: 'APPLICANT_INVALID' } });
    expect(await api.call('b', 'deleteScenario', { name: 'base' })).toEqual({ ok: true, value: { scenarios: [] } });
    expect(await api.call('b', 'deleteScenario', { name: 'base' })).toMatchObject({
      ok: false,
      error: { code: 'SCENARIO_NOT_FOUND' },
    });
  });

  it('batch-score the stored requests of a period, each line carrying its request id', async () => {
    const result = await api.call('b1', 'batchScore', { range: {}, model: 'fallback', format: 'jsonl' });
    expect(result).toMatchObject({ ok: true, value: { rows: 3, scored: 3, invalid: 0, model: { version: '2' } } });
    const { download } = (result as { value: { download: { path: string } } }).value;
    const lines = readFileSync(download.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines[0]).toMatchObject({ line: null, row: 1, id: 'req-0', served_by: 'champion', model_version: '2' });
  });

  it('refuse a file with a bad header, an unknown extension or no file, in one error each', async () => {
    const short = join(fixture.dir, 'short.csv');
    writeFileSync(short, 'AMT_CREDIT\n1\n2\n3\n');
    expect(await api.call('b2', 'batchScore', { path: short })).toMatchObject({
      ok: false,
      error: { code: 'SCORE_FILE_REFUSED', message: expect.stringContaining('lacks the required columns SK_ID_CURR') },
    });
    const text = join(fixture.dir, 'applicants.txt');
    writeFileSync(text, '{}\n');
    expect(await api.call('b3', 'batchScore', { path: text })).toMatchObject({
      ok: false,
      error: { code: 'SCORE_FILE_REFUSED', message: expect.stringContaining('does not end in .csv, .jsonl or .gz') },
    });
    expect(await api.call('b4', 'batchScore', { path: join(fixture.dir, 'none.csv') })).toMatchObject({
      ok: false,
      error: { code: 'FILE_NOT_FOUND' },
    });
    expect(await api.call('b5', 'batchScore', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
