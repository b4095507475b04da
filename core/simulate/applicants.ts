import type { Writable } from 'node:stream';
import type { Applicant, InputSchema } from '../contract/index.ts';
import { drawCompleteApplicant, maskMissing, MODEL_FIELDS } from './applicant-model.ts';
import { drawTarget } from './applicant-risk.ts';
import { ApplicantStatsCollector, type ApplicantStats } from './applicant-stats.ts';
import { cachedCsvCell, csvCell } from './csv.ts';
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

interface DrawnRow {
  /** Values in MODEL_FIELDS order (the model's object literal order), masked. */
  cells: Array<number | string | null>;
  target: 0 | 1;
}

function* drawRows(options: ApplicantOptions): Generator<DrawnRow> {
  assertSchemaSupported(options.schema);
  const random = new Random(options.seed);
  for (let index = 0; index < options.rows; index += 1) {
    const complete = drawCompleteApplicant(random, FIRST_APPLICANT_ID + index);
    const target = drawTarget(random, complete);
    maskMissing(random, complete.values);
    yield { cells: Object.values(complete.values), target };
  }
}

/** Where each schema field sits among the model's fields. */
function schemaToModelIndex(schema: InputSchema): number[] {
  return schema.fields.map((field) => MODEL_FIELDS.indexOf(field.name));
}

/** Yields `rows` applicants in order; the same seed always yields the same applicants. */
export function* generateApplicants(options: ApplicantOptions): Generator<SimulatedApplicant> {
  const names = options.schema.fields.map((field) => field.name);
  const indexes = schemaToModelIndex(options.schema);
  for (const { cells, target } of drawRows(options)) {
    const values: Applicant = {};
    for (let i = 0; i < names.length; i += 1) values[names[i]!] = cells[indexes[i]!]!;
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
  const indexes = schemaToModelIndex(options.schema);
  const sink = new WriteSink(options.out);
  const stats = new ApplicantStatsCollector();
  const progressEvery = options.progressEvery ?? 50_000;
  const formatCell = cachedCsvCell();
  sink.append(`${[...names, 'TARGET'].map(csvCell).join(',')}\n`);
  let written = 0;
  for (const { cells, target } of drawRows(options)) {
    let line = '';
    for (let i = 0; i < indexes.length; i += 1) line += `${formatCell(cells[indexes[i]!]!)},`;
    // Awaiting only when a chunk is due keeps the per-row cost free of promise round trips.
    if (sink.append(`${line}${target}\n`)) await sink.flush();
    stats.addCells(cells, target);
    written += 1;
    if (options.onProgress && written % progressEvery === 0) options.onProgress(written);
  }
  await sink.end();
  return stats.result();
}
