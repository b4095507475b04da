/**
 * Batch scoring from the console: a file of applicants (CSV, JSONL, .gz; uploaded or picked) or the stored requests
 * of a period, scored by the chosen model through `core/batch`, with progress, Cancel, the invalid rows by line and
 * a summary against the model's reference. The scored file stays in the backend's work folder for download.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, join } from 'node:path';
import { loadPackageReference } from '../../../core/analysis/index.ts';
import { CSV_HEADER, readOfflineInputThreaded, scoreBatch, type BatchRow } from '../../../core/batch/index.ts';
import { loadModelPackage } from '../../../core/contract/index.ts';
import { createEngine, formatOf, type ScoringEngine } from '../../../core/engine/index.ts';
import { WhatIfTables } from '../../../db/what-if.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { MethodContext } from '../api/method-table.ts';
import type { Services } from '../services.ts';
import { loggedApplicant } from './stored-requests.ts';

/** Folder of the scored files under the work folder; the browser shell serves `<id>/<file>` from it. */
export const SCORED_FOLDER = 'scored';

async function loadEngine(services: Services, role: string): Promise<ScoringEngine> {
  try {
    // The model asked for answers alone: a fallback would mix two models' scores in one file.
    return await createEngine({ modelsDir: services.config.modelsDir, champion: role, fallback: null });
  } catch (error) {
    throw new ConsoleError('MODEL_UNAVAILABLE', (error as Error).message.split('\n')[0] ?? role);
  }
}

async function* fileRows(
  engine: ScoringEngine,
  path: string,
  format: 'csv' | 'jsonl',
  reader: { bytes: () => number },
) {
  const input = readOfflineInputThreaded(path, format, engine.schema);
  reader.bytes = input.bytesRead;
  let row = 0;
  for await (const item of input.rows) yield { at: { line: item.line, row: ++row }, value: item.value } as BatchRow;
}

function* storedRows(services: Services, engine: ScoringEngine, range: { from?: number; to?: number }) {
  let row = 0;
  for (const request of new WhatIfTables(services.store).iterateInputs(range)) {
    const { applicant } = loggedApplicant(engine.schema, request.input);
    yield { at: { line: null, row: ++row, id: request.requestId }, value: applicant } as BatchRow;
  }
}

export async function batchScore(
  services: Services,
  input: MethodInput<'batchScore'>,
  context: MethodContext,
): Promise<MethodOutput<'batchScore'>> {
  const role = input.model ?? 'champion';
  const outFormat = input.format ?? 'csv';
  let size = 0;
  let format: 'csv' | 'jsonl' | null = null;
  let total = 0;
  if (input.path !== undefined) {
    try {
      const info = await stat(input.path);
      if (!info.isFile()) throw new ConsoleError('SCORE_FILE_REFUSED', `${basename(input.path)} is a folder`);
      size = info.size;
    } catch (error) {
      if (error instanceof ConsoleError) throw error;
      throw new ConsoleError('FILE_NOT_FOUND', input.name ?? input.path);
    }
    format = formatOf(input.name ?? input.path);
    if (!format) {
      throw new ConsoleError(
        'SCORE_FILE_REFUSED',
        `the name ${basename(input.name ?? input.path)} does not end in .csv, .jsonl or .gz`,
      );
    }
  } else {
    total = services.store.count();
    if (total === 0) throw new ConsoleError('STORE_EMPTY');
  }
  context.progress(0, `Loading the ${role} model`);
  const engine = await loadEngine(services, role);
  const model = engine.describe().models[0]!;
  const id = randomUUID();
  const folder = join(services.config.workDir, SCORED_FOLDER, id);
  mkdirSync(folder, { recursive: true });
  const stem = (input.name ?? (input.path ? basename(input.path) : 'stored-requests'))
    .replace(/(\.gz)?$/i, '')
    .replace(/\.(csv|jsonl|ndjson|json)$/i, '');
  const name = `${stem.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)}-scored.${outFormat}`;
  const path = join(folder, name);
  const out = createWriteStream(path);
  const reader = { bytes: () => 0 };
  try {
    const reference = await loadPackageReference(await loadModelPackage(model.dir)).catch(() => null);
    if (outFormat === 'csv') out.write(CSV_HEADER);
    const rows =
      input.path !== undefined
        ? fileRows(engine, input.path, format!, reader)
        : storedRows(services, engine, input.range ?? {});
    const summary = await scoreBatch({
      engine,
      rows,
      format: outFormat,
      reference,
      fields: engine.schema.fields,
      signal: context.signal,
      write: async (text) => {
        if (!out.write(text)) await once(out, 'drain');
      },
      onProgress: (progress) => {
        const fraction =
          size > 0 ? Math.min(reader.bytes() / size, 0.99) : total > 0 ? Math.min(progress.rows / total, 0.99) : null;
        context.progress(fraction, `Scoring with ${role} v${model.version}`, {
          rows: progress.rows,
          invalid: progress.errors,
        });
      },
    });
    out.end();
    await once(out, 'finish');
    context.progress(1, 'Scored');
    return {
      model: { role, name: model.name, version: model.version },
      ...summary,
      download: { id, name, path },
    };
  } catch (error) {
    out.destroy();
    if (context.signal.aborted) throw new ConsoleError('OPERATION_CANCELLED');
    if (error instanceof ConsoleError) throw error;
    throw new ConsoleError('SCORE_FILE_REFUSED', (error as Error).message.split('\n')[0] ?? 'unreadable');
  } finally {
    await engine.close();
  }
}
