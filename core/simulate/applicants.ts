import type { Writable } from 'node:stream';
import type { Applicant, InputSchema } from '../contract/index.ts';
import { drawCompleteApplicant, maskMissing } from './applicant-model.ts';
import { drawTarget } from './applicant-risk.ts';
import { ApplicantStatsCollector, type ApplicantStats } from './applicant-stats.ts';
import { csvCell } from './csv.ts';
import { Random } from './prng.ts';
import { assertSchemaSupported } from './schema-support.ts';
import { WriteSink } from './write-sink.ts';

/** SK_ID_CURR of the first simulated applicant (the data set's first id). */
export const FIRST_APPLICANT_ID = 100002;

export interface ApplicantOptions {
  rows: number;
  seed: number;
  /** The applicant schema: decides the columns, their order and the allowed categories. */
  schema: InputSchema;
}

export interface SimulatedApplicant {
  /** One value per schema field, in schema order; null when missing. */
  values: Applicant;
  /** 1 when the applicant defaults. */
  target: 0 | 1;
}

/** Yields `rows` applicants in order; the same seed always yields the same applicants. */
export function* generateApplicants(options: ApplicantOptions): Generator<SimulatedApplicant> {
  assertSchemaSupported(options.schema);
  const names = options.schema.fields.map((field) => field.name);
  const random = new Random(options.seed);
  for (let index = 0; index < options.rows; index += 1) {
    const complete = drawCompleteApplicant(random, FIRST_APPLICANT_ID + index);
    const target = drawTarget(random, complete);
    maskMissing(random, complete.values);
    const values: Applicant = {};
    for (const name of names) values[name] = complete.values[name] ?? null;
    yield { values, target };
  }
}

export interface WriteApplicantsOptions extends ApplicantOptions {
  /** Where the CSV goes; ended when done. */
  out: Writable;
  /** Called every `progressEvery` rows with the number written so far. */
  onProgress?: (rowsWritten: number) => void;
  /** @default 50000 */
  progressEvery?: number;
}

/**
 * Streams applicants as CSV (header: the schema fields in order, then TARGET) with bounded memory,
 * and resolves to the summary statistics of what was written.
 */
export async function writeApplicantsCsv(options: WriteApplicantsOptions): Promise<ApplicantStats> {
  const names = options.schema.fields.map((field) => field.name);
  const sink = new WriteSink(options.out);
  const stats = new ApplicantStatsCollector();
  const progressEvery = options.progressEvery ?? 50_000;
  await sink.write(`${[...names, 'TARGET'].map(csvCell).join(',')}\n`);
  let written = 0;
  for (const { values, target } of generateApplicants(options)) {
    let line = '';
    for (const name of names) line += `${csvCell(values[name])},`;
    await sink.write(`${line}${target}\n`);
    stats.add(values, target);
    written += 1;
    if (options.onProgress && written % progressEvery === 0) options.onProgress(written);
  }
  await sink.end();
  return stats.result();
}
