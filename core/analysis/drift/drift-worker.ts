/**
 * Worker thread entry of the drift helper (drift-helper.ts): posts "ready" once loaded, then answers each job in
 * turn: a part of a CSV file to scan into typed columns (csv-part-scan.ts), numeric fields to compare (their
 * reference and their current values, transferred), answered with their FieldDrift, or numeric fields in shared
 * memory that it and the sending thread take in turn.
 */
import { parentPort } from 'node:worker_threads';
import { scanPart, type CsvPartJob } from './csv-part-scan.ts';
import type { DriftConfig } from './config.ts';
import { numberFieldDrift, type FieldDrift } from './field-drift.ts';
import type { NumberReference } from './reference.ts';
import { compareClaimed, type SharedFieldAnswer, type SharedFieldJob } from './claimed-fields.ts';
import { releaseSortScratch } from './sort-scratch.ts';

export interface NumberFieldJob {
  config: DriftConfig;
  fields: Array<{ reference: NumberReference; values: Float64Array }>;
}

export type HelperJob =
  | { kind: 'scan'; job: CsvPartJob }
  | { kind: 'compare'; job: NumberFieldJob }
  | { kind: 'compare-shared'; job: SharedFieldJob };

export type NumberFieldAnswer = { ok: true; fields: FieldDrift[] } | { ok: false; message: string };

const port = parentPort!;
port.on('message', (message: HelperJob) => {
  if (message.kind === 'scan') {
    const { result, transfer } = scanPart(message.job);
    port.postMessage(result, transfer);
    return;
  }
  if (message.kind === 'compare-shared') {
    let shared: SharedFieldAnswer;
    try {
      shared = { ok: true, fields: compareClaimed(message.job) };
    } catch (error) {
      shared = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    releaseSortScratch();
    port.postMessage(shared);
    return;
  }
  let answer: NumberFieldAnswer;
  try {
    const { config, fields } = message.job;
    answer = { ok: true, fields: fields.map((f) => numberFieldDrift(f.reference, f.values, config)) };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  releaseSortScratch();
  port.postMessage(answer);
});
port.postMessage('ready');
