/** Overview and Anomalies show the same p50/p95/p99 for the same hour: one definition, core's latency histogram. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { AnomaliesResult, OverviewResult } from '../../../console-api/types.ts';
import { createDispatcher } from '../../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../../electron/backend/api/methods.ts';
import { storeAnomalies } from '../../../electron/backend/handlers/anomalies.ts';
import { useConsoleServices } from '../../helpers/console-services.ts';
import { logRecord } from '../helpers.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 20);
const HOURS = 10;
const INCIDENT_HOUR = 8;

const ctx = useConsoleServices();

/** 120 requests an hour with latencies spread over 1–9 ms (a few slow ones); the incident hour is 10 times slower. */
function writeTraffic(): string {
  const lines: string[] = [];
  let i = 0;
  for (let hour = 0; hour < HOURS; hour += 1) {
    for (let k = 0; k < 120; k += 1) {
      const base = 1 + ((k * 37 + hour * 11) % 97) / 20 + (k % 40 === 0 ? 3.7 : 0);
      const total = hour === INCIDENT_HOUR ? base * 10 : base;
      lines.push(JSON.stringify(logRecord(i, START + hour * HOUR + k * 29_000, { latency_ms: { total } })));
      i += 1;
    }
  }
  const file = join(ctx.fixture.dir, 'predictions-api-0-2026-11-20.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

it('gives every hour the same p50, p95 and p99 on Overview as the anomaly analysis, and a latency finding the same value', async () => {
  const api = createDispatcher(METHODS, ctx.services, () => undefined);
  const imported = await api.call('i', 'importFiles', { paths: [writeTraffic()] });
  expect(imported.ok).toBe(true);
  const range = { from: START, to: START + HOURS * HOUR };
  const overviewCall = await api.call('o', 'overview', { range, bucket: 'hour' });
  if (!overviewCall.ok) throw new Error(overviewCall.error.message);
  const overview = overviewCall.value as OverviewResult;
  const anomaliesCall = await api.call('a', 'anomalies', { range });
  if (!anomaliesCall.ok) throw new Error(anomaliesCall.error.message);
  const anomalies = anomaliesCall.value as AnomaliesResult;

  const windows = (await storeAnomalies(ctx.services)).windows;
  expect(windows.map((w) => w.start)).toEqual(overview.latencySeries.map((b) => b.t));
  expect(windows.map((w) => [w.latencyP50, w.latencyP95, w.latencyP99])).toEqual(
    overview.latencySeries.map((b) => [b.p50, b.p95, b.p99]),
  );

  const incident = overview.latencySeries[INCIDENT_HOUR]!;
  const shown = Object.fromEntries(
    anomalies.findings.filter((f) => f.from === incident.t && f.unit === 'ms').map((f) => [f.metric, f.value]),
  );
  expect(shown).toEqual({ latency_p50: incident.p50, latency_p95: incident.p95, latency_p99: incident.p99 });
});
