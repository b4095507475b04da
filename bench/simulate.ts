/**
 * Simulator throughput: `node --import tsx bench/simulate.ts [--rows 300000] [--records 200000]`.
 *
 * Prints, for the applicant CSV and for traffic (generation alone, then log files with gzip), rows per second of wall
 * time and of this process's CPU time. Figures only, never pass/fail. The reference box has 2 CPU cores shared with
 * other work, so wall-clock figures vary with its load; CPU-time figures are steadier. Gzip runs on libuv's thread
 * pool, beside the generating thread. With workers, CPU time counts every thread (the process's figure), so wall time
 * is the figure to read there.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compileInputSchema } from '../core/contract/index.ts';
import { generateTraffic, writeApplicantsCsv, writeTrafficFiles } from '../core/simulate/index.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '300000' }, records: { type: 'string', default: '200000' } },
});
const rows = Number(values.rows);
const records = Number(values.records);
const schema = compileInputSchema(
  JSON.parse(readFileSync(new URL('../tests/fixtures/input_schema.json', import.meta.url), 'utf8')),
);
const dir = mkdtempSync(path.join(tmpdir(), 'vigie-bench-simulate-'));

async function measure(label: string, count: number, work: () => Promise<void> | void): Promise<void> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await work();
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = (seconds: number) => Math.round(count / seconds).toLocaleString('en-US');
  console.log(
    `${label.padEnd(34)} ${count.toLocaleString('en-US').padStart(10)} in ${wall.toFixed(2)} s: ` +
      `${rate(wall)} /s wall, ${rate(cpuSeconds)} /s of CPU time`,
  );
}

try {
  console.log(
    `simulator throughput (2-core shared box; load average ${loadavg()[0]!.toFixed(1)}, ${availableParallelism()} cores)`,
  );
  await measure('applicants CSV', rows, async () => {
    await writeApplicantsCsv({ rows, seed: 1, schema, out: createWriteStream(path.join(dir, 'applicants.csv')) });
  });
  await measure('traffic records (generation only)', records, () => {
    for (const _record of generateTraffic({ days: 7, rows: records, seed: 1, schema }));
  });
  await measure('traffic log files (gzip)', records, async () => {
    await writeTrafficFiles({ days: 7, rows: records, seed: 1, schema, dir: path.join(dir, 'traffic') });
  });
  const workers = Math.min(availableParallelism(), 7);
  await measure(`traffic log files (gzip, ${workers} workers)`, records, async () => {
    await writeTrafficFiles({ days: 7, rows: records, seed: 1, schema, dir: path.join(dir, 'parallel'), workers });
  });
  await measure('traffic log files (no gzip)', records, async () => {
    await writeTrafficFiles({ days: 7, rows: records, seed: 1, schema, dir: path.join(dir, 'plain'), gzip: false });
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
