/**
 * Drift benchmark: every field of N records (default 1 000 000) against the champion's reference profile and sample,
 * without windows and with daily windows. Prints figures, never pass/fail.
 *
 *   node --import tsx bench/drift.ts [--records 1000000] [--model-dir models/credit-default/1] [--db file] [--json]
 *                                    [--digest]
 *
 * Without --db the records are drawn from the reference sample (columns built in memory, 7 days of timestamps), so
 * the figure is the analysis alone; with --db they are read from a store first, and the read is timed too.
 * --digest adds the SHA-256 of both analyses' JSON: a speed change must leave it as it was (the statistics identical).
 * The CPU (2 cores on the reference box) is shared with whatever else runs, so the figures are a floor.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  analyzeDrift,
  analyzeDriftInParallel,
  DriftHelper,
  driftConfig,
  driftToJson,
  driftFields,
  loadPackageReference,
  type ColumnData,
  type DriftReference,
} from '../core/analysis/index.ts';
import { loadModelPackage } from '../core/contract/index.ts';
import { openStore } from '../db/index.ts';

const DEFAULT_MODEL = fileURLToPath(new URL('../models/credit-default/1', import.meta.url));

/** Resamples the reference sample into `count` records over 7 days (xorshift, fixed seed). */
function resample(reference: DriftReference, count: number): ColumnData {
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const start = Date.UTC(2026, 10, 1);
  const ts = Float64Array.from({ length: count }, (_, i) => start + Math.floor((i / count) * 7 * 86_400_000));
  const numbers = new Map<string, Float64Array>();
  const categories = new Map<string, { codes: Int32Array; labels: string[] }>();
  for (const [name, field] of reference.fields) {
    if (field.kind === 'number') {
      const values = new Float64Array(count);
      for (let i = 0; i < count; i += 1) {
        values[i] = next() < field.missingRate ? Number.NaN : field.sorted[Math.floor(next() * field.sorted.length)]!;
      }
      numbers.set(name, values);
    } else {
      const labels = [...field.counts.keys()];
      const cumulative: number[] = [];
      let total = 0;
      for (const label of labels) cumulative.push((total += field.counts.get(label)!));
      const codes = new Int32Array(count);
      for (let i = 0; i < count; i += 1) {
        if (next() < field.missingRate) {
          codes[i] = -1;
          continue;
        }
        const u = next() * total;
        let k = 0;
        while (cumulative[k]! <= u) k += 1;
        codes[i] = k;
      }
      categories.set(name, { codes, labels });
    }
  }
  const prediction = reference.prediction!.sorted;
  const probability = Float64Array.from({ length: count }, () => prediction[Math.floor(next() * prediction.length)]!);
  return { count, ts, numbers, categories, probability };
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** CPU seconds since `since`: less sensitive than wall time to other work on the shared cores. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '1000000' },
      'model-dir': { type: 'string', default: DEFAULT_MODEL },
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      digest: { type: 'boolean', default: false },
    },
  });
  const records = Number(values.records);
  if (!Number.isInteger(records) || records < 1)
    throw new Error(`--records must be a positive integer, got ${values.records}`);
  // As `vigie drift` does: the statistics' helper thread and the store's reader thread load while the reference does.
  const helper = DriftHelper.start();
  try {
    await run(values, records, helper);
  } finally {
    helper?.close();
  }
}

async function run(
  values: { 'model-dir'?: string; db?: string; json?: boolean; digest?: boolean },
  records: number,
  helper: DriftHelper | null,
): Promise<void> {
  const store = values.db ? openStore(values.db, { readonly: true }) : null;
  store?.warmColumnReaders();
  const pkg = await loadModelPackage(values['model-dir']!);
  let t = performance.now();
  const reference = await loadPackageReference(pkg);
  const referenceSeconds = seconds(t);

  t = performance.now();
  let current: ColumnData;
  let source: string;
  if (store && values.db) {
    try {
      current = store.readColumns({ statuses: ['ok', 'invalid'] }, driftFields(pkg.schema.fields));
    } finally {
      store.close();
    }
    source = `store ${path.basename(values.db)}`;
  } else {
    current = resample(reference, records);
    source = 'resampled reference sample (in memory)';
  }
  const prepareSeconds = seconds(t);
  const config = driftConfig();

  t = performance.now();
  let cpu = process.cpuUsage();
  const whole = await analyzeDriftInParallel({ reference, current, config }, { helper });
  const analysisSeconds = seconds(t);
  const analysisCpu = cpuSeconds(cpu);
  t = performance.now();
  cpu = process.cpuUsage();
  const daily = analyzeDrift({ reference, current, config, window: 'day' });
  const dailySeconds = seconds(t);
  const dailyCpu = cpuSeconds(cpu);

  const figures = {
    records: current.count,
    fields: whole.fields.length + (whole.prediction ? 1 : 0),
    source,
    reference_load_s: Number(referenceSeconds.toFixed(3)),
    [values.db ? 'store_read_s' : 'resample_s']: Number(prepareSeconds.toFixed(3)),
    drift_all_fields_s: Number(analysisSeconds.toFixed(3)),
    drift_all_fields_cpu_s: Number(analysisCpu.toFixed(3)),
    drift_with_daily_windows_s: Number(dailySeconds.toFixed(3)),
    drift_with_daily_windows_cpu_s: Number(dailyCpu.toFixed(3)),
    load_average_1m: Number(os.loadavg()[0]!.toFixed(2)),
    daily_windows: daily.windows.length,
    record_fields_per_s: Math.round((current.count * (whole.fields.length + 1)) / analysisSeconds),
    ...(values.digest
      ? {
          digest: createHash('sha256')
            .update(JSON.stringify([driftToJson(whole), driftToJson(daily)]))
            .digest('hex'),
        }
      : {}),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  process.stdout.write(
    [
      `drift benchmark: ${figures.records.toLocaleString('en-US')} records × ${figures.fields} fields (${source})`,
      `  reference load (profile + sample.csv.gz)  ${referenceSeconds.toFixed(3)} s`,
      `  ${values.db ? 'store read (readColumns)        ' : 'build columns (not part of drift)'}          ${prepareSeconds.toFixed(3)} s`,
      `  drift, all fields + prediction            ${analysisSeconds.toFixed(3)} s wall, ${analysisCpu.toFixed(3)} s CPU  (${figures.record_fields_per_s.toLocaleString('en-US')} record-fields/s)`,
      `  drift with ${daily.windows.length} daily windows as well         ${dailySeconds.toFixed(3)} s wall, ${dailyCpu.toFixed(3)} s CPU`,
      `  (cores shared with other work, 1-minute load average ${figures.load_average_1m}: figures are a floor)`,
      ...(figures.digest ? [`  digest of both analyses: ${figures.digest}`] : []),
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/drift: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
