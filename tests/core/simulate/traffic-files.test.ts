import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileInputSchema, LOG_FILE_PATTERN, parseLogLine } from '../../../core/contract/index.ts';
import {
  MANIFEST_FILE,
  OUTCOMES_FILE,
  writeTrafficFiles,
  type WriteTrafficOptions,
} from '../../../core/simulate/index.ts';

const schema = compileInputSchema(
  JSON.parse(readFileSync(new URL('../../fixtures/input_schema.json', import.meta.url), 'utf8')),
);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-traffic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function write(folder: string, options: Partial<WriteTrafficOptions> = {}) {
  return writeTrafficFiles({ days: 3, rows: 3000, seed: 2, schema, dir: path.join(dir, folder), ...options });
}

function readLines(file: string): string[] {
  const bytes = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text.split('\n').filter((line) => line !== '');
}

describe('traffic files', () => {
  it('names files per replica and UTC day, gzipping every day but the last', async () => {
    await write('logs');
    const names = readdirSync(path.join(dir, 'logs')).sort();
    expect(names).toEqual([
      MANIFEST_FILE,
      OUTCOMES_FILE,
      'predictions-api-0-2026-11-01.jsonl.gz',
      'predictions-api-0-2026-11-02.jsonl.gz',
      'predictions-api-0-2026-11-03.jsonl',
      'predictions-api-1-2026-11-01.jsonl.gz',
      'predictions-api-1-2026-11-02.jsonl.gz',
      'predictions-api-1-2026-11-03.jsonl',
    ]);
    for (const name of names.filter((n) => n !== MANIFEST_FILE && n !== OUTCOMES_FILE)) {
      expect(name).toMatch(LOG_FILE_PATTERN);
    }
  });

  it('leaves every file plain without gzip', async () => {
    await write('logs', { gzip: false });
    expect(readdirSync(path.join(dir, 'logs')).filter((name) => name.endsWith('.gz'))).toEqual([]);
  });

  it('writes lines that parse, each in the file of its replica and day', async () => {
    const manifest = await write('logs');
    let total = 0;
    for (const file of manifest.files) {
      const lines = readLines(path.join(dir, 'logs', file.name));
      expect(lines).toHaveLength(file.records);
      for (const line of lines) {
        const parsed = parseLogLine(line);
        if (!parsed.ok) throw new Error(`${file.name}: ${parsed.detail}`);
        expect(parsed.record.replica).toBe(file.replica);
        expect(parsed.record.ts.slice(0, 10)).toBe(file.day);
      }
      total += lines.length;
    }
    expect(total).toBe(3000);
  });

  it('writes byte-identical files for the same seed', async () => {
    await write('a', { scenario: 'incident' });
    await write('b', { scenario: 'incident' });
    for (const name of readdirSync(path.join(dir, 'a'))) {
      expect(readFileSync(path.join(dir, 'b', name)).equals(readFileSync(path.join(dir, 'a', name)))).toBe(true);
    }
  });

  it('writes the same files and manifest with worker threads as in one thread', async () => {
    const single = await write('one', { scenario: 'sudden-shift', days: 4 });
    const parallel = await write('two', { scenario: 'sudden-shift', days: 4, workers: 2 });
    expect(parallel).toEqual(single);
    for (const name of readdirSync(path.join(dir, 'one'))) {
      expect(readFileSync(path.join(dir, 'two', name)).equals(readFileSync(path.join(dir, 'one', name)))).toBe(true);
    }
  });

  it('writes a manifest with the scenario, its injections and the stand-in note', async () => {
    await write('logs', { scenario: 'data-quality' });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'logs', MANIFEST_FILE), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      scenario: 'data-quality',
      seed: 2,
      days: 3,
      rows: 3000,
      start: '2026-11-01T00:00:00.000Z',
      probabilities: 'stand-in function, not a trained model',
    });
    expect(manifest.injections).toEqual([
      expect.objectContaining({ kind: 'null-values', fields: ['EXT_SOURCE_3'], startDay: 1 }),
      expect.objectContaining({ kind: 'unknown-category', fields: ['NAME_INCOME_TYPE'], category: 'Self-employed' }),
    ]);
  });

  it('starts on the day given', async () => {
    const manifest = await write('logs', { start: '2027-02-27', days: 2 });
    expect(manifest.files.map((file) => file.day)).toEqual(expect.arrayContaining(['2027-02-27', '2027-02-28']));
    expect(manifest.end).toBe('2027-03-01T00:00:00.000Z');
  });
});
