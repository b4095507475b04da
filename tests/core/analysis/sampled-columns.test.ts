import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FieldSpec } from '../../../core/contract/index.ts';
import { ingestPaths } from '../../../core/ingest/index.ts';
import { openStore, type Store } from '../../../db/index.ts';
import { readColumnsSampled, sampleStep } from '../../../core/analysis/stored-period/sampled-columns.ts';
import { tempConsole, writeLogFile } from '../../electron/helpers.ts';

const FIELDS: FieldSpec[] = [
  { name: 'AMT_INCOME_TOTAL', kind: 'number', required: true, nullable: false },
  { name: 'CODE_GENDER', kind: 'category', required: true, nullable: false, categories: ['M', 'F', 'XNA'] },
];
const START = Date.UTC(2026, 10, 20);

describe('sampled column reads', () => {
  let fixture: ReturnType<typeof tempConsole>;
  let store: Store;

  beforeEach(async () => {
    fixture = tempConsole();
    store = openStore(fixture.config.dbPath);
    // One record a minute for two days.
    await ingestPaths(store, [writeLogFile(fixture.dir, 'two-days.jsonl', 2 * 24 * 60)]);
  });

  afterEach(() => {
    store.close();
    fixture.cleanup();
  });

  const period = { from: START, to: START + 2 * 86_400_000, statuses: ['ok' as const] };

  it('reads every record when the stride is 1', () => {
    expect(readColumnsSampled(store, period, FIELDS, 1).count).toBe(2 * 24 * 60);
  });

  it('reads one hour in every stride, spread over the period', () => {
    const sample = readColumnsSampled(store, period, FIELDS, 4);
    expect(sample.count).toBe(12 * 60);
    const hours = new Set(Array.from(sample.ts, (t) => new Date(t).getUTCHours()));
    expect(hours.size).toBe(12);
  });

  it('keeps each category with its own record across the merged hours', () => {
    const sample = readColumnsSampled(store, period, FIELDS, 4);
    const income = sample.numbers.get('AMT_INCOME_TOTAL')!;
    const gender = sample.categories.get('CODE_GENDER')!;
    for (let i = 0; i < sample.count; i++) {
      expect(gender.labels[gender.codes[i]!]).toBe((income[i]! - 100_000) % 2 ? 'M' : 'F');
    }
  });

  it('reads everything when the period is too short to sample evenly', () => {
    const hour = { ...period, to: START + 3 * 3_600_000 };
    expect(readColumnsSampled(store, hour, FIELDS, 4).count).toBe(180);
  });

  it('picks the stride that brings the records down to the limit', () => {
    expect(sampleStep(150_000, 200_000)).toBe(1);
    expect(sampleStep(1_000_000, 200_000)).toBe(5);
  });
});
