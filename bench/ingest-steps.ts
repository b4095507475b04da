/**
 * What one imported record costs, step by step, on one thread: the CPU time of each step of `vigie ingest` run alone
 * over the same simulated `.jsonl.gz` records, and the import rate each step would allow by itself. It explains the
 * rate `vigie bench ingest` measures: the store writes on one thread (SQLite has one writer), so the write step alone
 * bounds the rate, and all steps together must share the machine's cores. Prints figures, never pass/fail.
 *
 *   node --import tsx bench/ingest-steps.ts [--records 200000] [--json]
 *
 * CPU time (not wall time) per step, so the figures hold up on a shared machine better than a rate does; the 2-core
 * reference box is still shared with whatever else runs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { compileInputSchema, parseLogLine } from '../core/contract/index.ts';
import { BatchCollector } from '../core/ingest/batch-collector.ts';
import { gunzipWhole, loadWholeGunzip } from '../core/ingest/whole-gunzip.ts';
import { canonicalRow } from '../core/ingest/canonical-record.ts';
import { LineSplitter } from '../core/ingest/line-splitter.ts';
import { flattenRecord, type FlatRow } from '../core/ingest/flat-record.ts';
import { writeTrafficFiles } from '../core/simulate/index.ts';
import { openStore } from '../db/index.ts';
import { prepareRows, type PreparedBatch } from '../db/prepared-batch.ts';

const SCHEMA = fileURLToPath(new URL('../tests/fixtures/input_schema.json', import.meta.url));
const BATCH = 10_000;
const THREADED_BATCH = 20_000;
const GUNZIP_PIECE = 1 << 18;

function cpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

function measure<T>(fn: () => T): { ms: number; value: T } {
  const start = cpuMs();
  const value = fn();
  return { ms: cpuMs() - start, value };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { records: { type: 'string', default: '200000' }, json: { type: 'boolean', default: false } },
  });
  const records = Number(values.records);
  if (!Number.isInteger(records) || records < 1000) throw new Error('--records must be an integer of at least 1000');
  const work = mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-steps-'));
  try {
    const schema = compileInputSchema(JSON.parse(readFileSync(SCHEMA, 'utf8')) as unknown);
    const logs = path.join(work, 'logs');
    await writeTrafficFiles({ dir: logs, rows: records, days: 2, seed: 7, schema, gzip: true });
    // The simulator leaves the last day's file open (plain), as the API does: compress it too, so every record is read
    // from .jsonl.gz like a downloaded history.
    const gz = readdirSync(logs)
      .filter((name) => name.endsWith('.jsonl') || name.endsWith('.jsonl.gz'))
      .map((name) => readFileSync(path.join(logs, name)))
      .map((buffer) => (buffer[0] === 0x1f && buffer[1] === 0x8b ? buffer : gzipSync(buffer)));

    const gunzip = measure(() => gz.map((buffer) => gunzipSync(buffer)));
    // The import's reader threads decompress each file whole with libdeflate where the system has it (decision 1619).
    const whole = (await loadWholeGunzip())
      ? measure(() => gz.reduce((bytes, buffer) => bytes + (gunzipWhole(buffer)?.length ?? 0), 0))
      : null;
    const split = measure(() =>
      gunzip.value.flatMap((buffer) =>
        buffer
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      ),
    );
    const lines = split.value;
    const jsonParse = measure(() => lines.map((line) => JSON.parse(line) as unknown));
    // Rows are counted and dropped as the import drops them once prepared, so that neither way pays for keeping
    // 100 000 of them alive (which costs more, and more erratically, than reading them).
    const textRows = (keep: FlatRow[] | null): number => {
      let count = 0;
      for (const line of lines) {
        let row = canonicalRow(JSON.parse(line));
        if (!row) {
          const parsed = parseLogLine(line);
          if (parsed.ok) row = flattenRecord(parsed.record);
        }
        if (row) {
          count++;
          keep?.push(row);
        }
      }
      return count;
    };
    // The old way, kept for comparison: each line as text, JSON.parse, canonicalRow (parseLogLine for the rest).
    const textPath = measure(() => textRows(null));
    // As the import reads: LineSplitter hands the bytes to BatchCollector, whose WebAssembly scanner reads the
    // API's lines and leaves the rest to JSON.parse (decision 1617), 256 KiB at a time as gunzip gives them.
    const parseFlatten = measure(() => {
      const collector = new BatchCollector(0);
      let count = 0;
      for (const buffer of gunzip.value) {
        const splitter = new LineSplitter(collector);
        for (let at = 0; at < buffer.length; at += GUNZIP_PIECE) {
          splitter.push(buffer.subarray(at, at + GUNZIP_PIECE));
          count += collector.take().rows.length;
        }
        splitter.end();
        count += collector.take().rows.length;
      }
      return count;
    });
    if (parseFlatten.value !== textPath.value) throw new Error('the two ways of reading the lines disagree');
    const rows: FlatRow[] = [];
    textRows(rows);
    const store = openStore(path.join(work, 'steps.sqlite'));
    const source = store.openNamedSource('generator', 'bench');
    const write = measure(() => {
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        store.writeBatch(source.id, { rows: batch, quarantined: [], lines: batch.length });
      }
    });
    store.close();
    // The default import's split (decision 1611): the reader thread prepares each batch, the writer only binds.
    const prepared = measure(() => {
      const batches: PreparedBatch[] = [];
      for (let i = 0; i < rows.length; i += THREADED_BATCH)
        batches.push(prepareRows(rows.slice(i, i + THREADED_BATCH)));
      return batches;
    });
    const second = openStore(path.join(work, 'steps-prepared.sqlite'));
    const secondSource = second.openNamedSource('generator', 'bench');
    const writePrepared = measure(() => {
      for (const batch of prepared.value) {
        second.writeBatch(secondSource.id, { rows: [], prepared: batch, quarantined: [], lines: batch.count });
      }
    });
    second.close();

    const n = lines.length;
    const steps = {
      gunzip: whole?.ms ?? gunzip.ms,
      split_parse_flatten: parseFlatten.ms,
      store_write: write.ms,
    };
    const splitSteps = {
      prepare_on_reader: (prepared.ms * 1000) / n,
      write_prepared: (writePrepared.ms * 1000) / n,
    };
    const perRecord = Object.fromEntries(Object.entries(steps).map(([name, ms]) => [name, (ms * 1000) / n]));
    const totalUs = Object.values(perRecord).reduce((sum, us) => sum + us, 0);
    const cores = os.availableParallelism();
    const figures = {
      records: n,
      cpu_us_per_record: perRecord,
      json_parse_us_per_record: (jsonParse.ms * 1000) / n,
      /** Decompression as a stream through zlib, where the import uses libdeflate (null: libdeflate missing here). */
      gunzip_zlib_us_per_record: whole ? (gunzip.ms * 1000) / n : null,
      /** The same lines as text: split, JSON.parse and canonicalRow, the way before the scanner. */
      text_path_us_per_record: ((split.ms + textPath.ms) * 1000) / n,
      /** The default (threaded) import: what the reader thread adds to parsing, and all the writing thread does. */
      threaded_us_per_record: splitSteps,
      total_cpu_us_per_record: totalUs,
      writer_bound_records_per_s: Math.round(1e6 / perRecord.store_write!),
      all_cores_bound_records_per_s: Math.round((1e6 * cores) / totalUs),
      cores,
      load_average: os.loadavg().map((x) => Number(x.toFixed(2))),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      return;
    }
    const rowsText = Object.entries(perRecord).map(([name, us]) => `  ${name.padEnd(20)} ${us.toFixed(2)} µs`);
    rowsText[0] += whole
      ? ` (libdeflate, whole files; zlib ${figures.gunzip_zlib_us_per_record!.toFixed(2)} µs)`
      : ' (zlib: libdeflate is not installed here)';
    process.stdout.write(
      [
        `CPU time per record over ${n.toLocaleString('en-US')} simulated records (one thread, step by step):`,
        ...rowsText,
        `  ${'total'.padEnd(20)} ${totalUs.toFixed(2)} µs   (the same lines as text, split + JSON.parse + canonicalRow: ${figures.text_path_us_per_record.toFixed(2)} µs; JSON.parse alone ${figures.json_parse_us_per_record.toFixed(2)} µs)`,
        `default import, split between two threads: the reader also prepares ${splitSteps.prepare_on_reader.toFixed(2)} µs; the writer writes a prepared batch in ${splitSteps.write_prepared.toFixed(2)} µs`,
        `bound by the single SQLite writer: ${figures.writer_bound_records_per_s.toLocaleString('en-US')} records/s`,
        `bound by all ${cores} cores doing every step: ${figures.all_cores_bound_records_per_s.toLocaleString('en-US')} records/s`,
        `load average ${figures.load_average.join(' ')} (the machine is shared: figures are a floor)`,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
