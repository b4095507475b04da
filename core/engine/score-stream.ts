/**
 * Offline scoring as a stream: raw rows in (async iterable), one outcome per row out, in order. Rows are validated with
 * the served model's schema and scored in batches, a few batches in flight at once, so memory stays bounded by
 * `batchSize × (in-flight batches + 1)` whatever the input's length.
 */
import type { Applicant } from '../contract/index.ts';
import type { OfflineOptions, OfflineOutcome, RowError, ScoreResult, ScoringEngine } from './types.ts';

/** Put in the source in place of a row that could not even be read (bad CSV cell, invalid JSON line). */
export class InvalidRow {
  constructor(readonly error: RowError) {}
}

const IN_FLIGHT_BATCHES = 3;

interface PendingBatch {
  first: number;
  errors: Array<RowError | null>;
  scored: Promise<ScoreResult[]>;
}

function settleQuietly(promise: Promise<ScoreResult[]>): Promise<ScoreResult[]> {
  promise.catch(() => undefined);
  return promise;
}

export async function* scoreStream(
  engine: ScoringEngine,
  source: AsyncIterable<unknown> | Iterable<unknown>,
  options: OfflineOptions = {},
): AsyncGenerator<OfflineOutcome> {
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const { signal } = options;
  const inFlight: PendingBatch[] = [];
  const progress = { rows: 0, errors: 0 };
  let index = 0;
  let errors: Array<RowError | null> = [];
  let valid: Applicant[] = [];

  const launch = () => {
    if (errors.length === 0) return;
    inFlight.push({ first: index - errors.length, errors, scored: settleQuietly(engine.scoreMany(valid, { signal })) });
    errors = [];
    valid = [];
  };

  async function* emit(batch: PendingBatch): AsyncGenerator<OfflineOutcome> {
    const results = await batch.scored;
    let next = 0;
    for (let i = 0; i < batch.errors.length; i += 1) {
      const error = batch.errors[i]!;
      if (error) {
        progress.errors += 1;
        yield { index: batch.first + i, ok: false, error };
      } else {
        yield { index: batch.first + i, ok: true, result: results[next++]! };
      }
    }
    progress.rows += batch.errors.length;
    options.onProgress?.({ ...progress });
  }

  for await (const item of source) {
    signal?.throwIfAborted();
    if (item instanceof InvalidRow) {
      errors.push(item.error);
    } else {
      const checked = engine.schema.validate(item);
      if (checked.ok) {
        errors.push(null);
        valid.push(checked.value);
      } else {
        errors.push({ code: 'VALIDATION_FAILED', issues: checked.issues });
      }
    }
    index += 1;
    if (errors.length >= batchSize) {
      launch();
      if (inFlight.length >= IN_FLIGHT_BATCHES) yield* emit(inFlight.shift()!);
    }
  }
  launch();
  while (inFlight.length > 0) {
    signal?.throwIfAborted();
    yield* emit(inFlight.shift()!);
  }
}
