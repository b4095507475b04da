import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  analyzeDrift,
  driftConfig,
  driftToJson,
  loadPackageReference,
  readCsvColumns,
  sliceWindows,
  sortedPresent,
  windowStart,
  type NumberReference,
} from '../../../core/analysis/index.ts';
import { loadModelPackage } from '../../../core/contract/index.ts';

const FIXTURE_PACKAGE = fileURLToPath(new URL('../../fixtures/models/fixture-credit/1', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-drift-columns-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('model package reference', () => {
  it('takes PSI bins, ranges and category counts from the profile and the values from the sample', async () => {
    const reference = await loadPackageReference(await loadModelPackage(FIXTURE_PACKAGE));
    expect(reference.source).toBe('model-package');
    expect(reference.fields.has('SK_ID_CURR')).toBe(false);
    const income = reference.fields.get('AMT_INCOME_TOTAL') as NumberReference;
    expect(income.kind).toBe('number');
    expect(income.bins!.counts).toEqual([6, 6, 6, 6, 6, 6, 6, 6, 6, 6]);
    expect(income.sorted).toHaveLength(60);
    expect(income.min).toBe(40425.6);
    const annuity = reference.fields.get('AMT_ANNUITY')!;
    expect(annuity.missingRate).toBeCloseTo(0.15, 12);
    const gender = reference.fields.get('CODE_GENDER');
    expect(gender).toMatchObject({
      kind: 'category',
      counts: new Map([
        ['M', 18],
        ['F', 19],
        ['XNA', 23],
      ]),
    });
    expect(reference.prediction!.sorted).toHaveLength(60);
  });

  it('names the file, line and column of a sample cell that is not a number', async () => {
    const copy = path.join(dir, 'pkg');
    cpSync(FIXTURE_PACKAGE, copy, { recursive: true });
    const header = 'SK_ID_CURR,AMT_INCOME_TOTAL,CODE_GENDER,prediction';
    writeFileSync(path.join(copy, 'reference/sample.csv.gz'), gzipSync(`${header}\n1,12.5,F,0.1\n2,lots,M,0.2\n`));
    await expect(loadPackageReference(await loadModelPackage(copy))).rejects.toThrow(
      /sample\.csv\.gz: line 3, column AMT_INCOME_TOTAL: "lots" is not a number/,
    );
  });

  it('refuses, when the package loads, a profile whose bins do not match its edges', async () => {
    const copy = path.join(dir, 'pkg');
    cpSync(FIXTURE_PACKAGE, copy, { recursive: true });
    const profile = path.join(copy, 'reference/profile.json');
    writeFileSync(
      profile,
      JSON.stringify({
        fields: { AMT_CREDIT: { kind: 'number', count: 3, missing: 0, edges: [1, 2], bin_counts: [1, 2] } },
      }),
    );
    await expect(loadModelPackage(copy)).rejects.toThrow(
      /profile\.json: fields\.AMT_CREDIT: "bin_counts" must have one more entry than "edges"/,
    );
  });
});

describe('drift over columns', () => {
  const reference = async () => loadPackageReference(await loadModelPackage(FIXTURE_PACKAGE));

  function columnsOf(values: Record<string, number[]>, categories: Record<string, string[]> = {}) {
    const count = Object.values(values)[0]?.length ?? Object.values(categories)[0]!.length;
    return {
      count,
      ts: Float64Array.from({ length: count }, (_, i) => Date.UTC(2026, 10, 16) + i * 3_600_000),
      numbers: new Map(Object.entries(values).map(([k, v]) => [k, Float64Array.from(v)])),
      categories: new Map(
        Object.entries(categories).map(([k, v]) => {
          const labels = [...new Set(v)];
          return [k, { codes: Int32Array.from(v.map((x) => labels.indexOf(x))), labels }];
        }),
      ),
    };
  }

  it('reports data quality: missing-rate change, values outside the reference range, unseen categories', async () => {
    const ref = await reference();
    const income = [...(ref.fields.get('AMT_INCOME_TOTAL') as NumberReference).sorted];
    income[0] = 9e9;
    income[1] = Number.NaN;
    const genders = Array.from({ length: 60 }, (_, i) => (i < 3 ? 'Unknown' : i % 2 ? 'F' : 'M'));
    const analysis = analyzeDrift({
      reference: ref,
      current: columnsOf({ AMT_INCOME_TOTAL: income }, { CODE_GENDER: genders }),
      config: driftConfig(),
    });
    const incomeDrift = analysis.fields.find((f) => f.name === 'AMT_INCOME_TOTAL')!;
    expect(incomeDrift.quality).toMatchObject({ outOfRangeCount: 1, currentMissingRate: 1 / 60 });
    expect(incomeDrift.drifted).toBe(false);
    const gender = analysis.fields.find((f) => f.name === 'CODE_GENDER')!;
    expect(gender.quality.unseenCategories).toEqual([{ category: 'Unknown', count: 3 }]);
  });

  it('drifts a shifted field, counts it in the drift share and computes each statistic per window', async () => {
    const ref = await reference();
    const shifted = [...(ref.fields.get('AMT_CREDIT') as NumberReference).sorted].map((v) => v * 3);
    const same = [...(ref.fields.get('AMT_ANNUITY') as NumberReference).sorted];
    const analysis = analyzeDrift({
      reference: ref,
      current: columnsOf({ AMT_CREDIT: shifted, AMT_ANNUITY: [...same, ...same.slice(0, 9)] }),
      config: driftConfig(),
      window: 'day',
    });
    expect(analysis.driftedFields).toEqual(['AMT_CREDIT']);
    expect(analysis.driftShare).toBe(0.5);
    expect(analysis.datasetDrift).toBe(true);
    expect(analysis.windows).toHaveLength(3);
    expect(analysis.windows[0]!.fields.AMT_CREDIT!.methods.psi!.statistic).toBeGreaterThan(0.1);
    const json = driftToJson(analysis);
    expect(json.columns.AMT_CREDIT!.ks!.p_value).toBeLessThan(0.05);
    expect(json.columns.AMT_CREDIT!.psi!.p_value).toBeNull();
    expect(json.windows[0]!.start).toBe('2026-11-16T00:00:00.000Z');
  });

  it('gives the same whole-period statistics with or without windows', async () => {
    const ref = await reference();
    const credit = [...(ref.fields.get('AMT_CREDIT') as NumberReference).sorted]
      .reverse()
      .map((v, i) => v * (1 + i / 100));
    const current = columnsOf({ AMT_CREDIT: credit });
    const plain = analyzeDrift({ reference: ref, current, config: driftConfig() });
    // 60 hourly windows (the column sorted again) and 3 daily ones (their sorted runs merged).
    for (const [window, count] of [
      ['hour', 60],
      ['day', 3],
    ] as const) {
      const windowed = analyzeDrift({ reference: ref, current, config: driftConfig(), window });
      expect(windowed.windows).toHaveLength(count);
      expect(windowed.fields).toEqual(plain.fields);
    }
  });

  it('lets one method decide with vote "any" where the majority would not', async () => {
    const ref = await reference();
    const current = columnsOf({ AMT_CREDIT: [...(ref.fields.get('AMT_CREDIT') as NumberReference).sorted] });
    // PSI >= 0 always, so a threshold of 0 makes PSI alone say drift on data identical to the reference.
    const thresholds = { psi: 0 };
    const majority = analyzeDrift({ reference: ref, current, config: driftConfig({ thresholds }) });
    const any = analyzeDrift({ reference: ref, current, config: driftConfig({ thresholds, vote: 'any' }) });
    const methods = majority.fields[0]!.methods;
    expect([methods.psi!.drifted, methods.ks!.drifted, methods.wasserstein!.drifted]).toEqual([true, false, false]);
    expect(majority.driftedFields).toEqual([]);
    expect(any.driftedFields).toEqual(['AMT_CREDIT']);
  });

  it('refuses an unknown method and a threshold outside its range', () => {
    expect(() => driftConfig({ methods: ['psi', 'anderson'] })).toThrow(/unknown drift method "anderson"/);
    expect(() => driftConfig({ thresholds: { chi2: 0 } })).toThrow(/threshold of chi2 must be a p-value level/);
    expect(() => driftConfig({ thresholds: { psi: -1 } })).toThrow(/threshold of psi must be a number >= 0/);
  });
});

describe('columns, sorting and windows', () => {
  it('sorts large columns exactly as a comparison sort does, NaN left out and -0 with 0', () => {
    const values = new Float64Array(100_000);
    let state = 7;
    for (let i = 0; i < values.length; i += 1) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      values[i] = i % 5 === 0 ? Math.round(state / 1e6) - 2000 : (state / 2 ** 32 - 0.4) * 1e9;
    }
    values[3] = Number.NaN;
    values[8] = -0;
    values[9] = Number.NEGATIVE_INFINITY;
    const expected = values.filter((v) => !Number.isNaN(v)).sort();
    expect(Array.from(sortedPresent(values))).toEqual(Array.from(expected).map((v) => (v === 0 ? 0 : v)));
  });

  it('sorts large integer columns (counts, days) exactly too', () => {
    const values = Float64Array.from({ length: 90_000 }, (_, i) => ((i * 7919) % 30_001) - 25_000);
    values[10] = Number.NaN;
    values[11] = 365_243;
    const expected = values.filter((v) => !Number.isNaN(v)).sort();
    expect(Array.from(sortedPresent(values))).toEqual(Array.from(expected));
  });

  it('infers numeric and categorical CSV columns and keeps empty cells as missing', async () => {
    const csv = 'a,b,c\n1,x,2.5\n,y,\n3,1,1e3\n';
    const columns = await readCsvColumns(Readable.from([csv]), 'inline.csv');
    expect([...columns.numbers.keys()]).toEqual(['a', 'c']);
    expect(Array.from(columns.numbers.get('a')!)).toEqual([1, Number.NaN, 3]);
    expect(columns.categories.get('b')).toEqual({ codes: Int32Array.from([0, 1, 2]), labels: ['x', 'y', '1'] });
  });

  it('starts weeks on Monday and days and hours at UTC boundaries', () => {
    const thursday = Date.UTC(2026, 10, 19, 15, 30);
    expect(new Date(windowStart(thursday, 'week')).toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(new Date(windowStart(thursday, 'day')).toISOString()).toBe('2026-11-19T00:00:00.000Z');
    expect(new Date(windowStart(thursday, 'hour')).toISOString()).toBe('2026-11-19T15:00:00.000Z');
    const ts = Float64Array.from([thursday, thursday + 60_000, thursday + 3_600_000]);
    expect(sliceWindows(ts, 'hour').map((w) => [w.from, w.to])).toEqual([
      [0, 2],
      [2, 3],
    ]);
  });
});
