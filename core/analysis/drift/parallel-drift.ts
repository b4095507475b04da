/**
 * analyzeDrift on two cores: a worker thread compares about half of the numeric fields (sorting their current values
 * is most of the work) while this thread compares the others, then analyzeDrift assembles the answer from both, in
 * the reference's field order. Every field is computed by the same numberFieldDrift as on one thread, so the answer
 * is the same to the last bit. Runs on one thread when there are windows, one core, few records, or no worker.
 */
import { analyzeDrift, type DriftAnalysis, type DriftInput } from './analyze-drift.ts';
import type { DriftHelper } from './drift-helper.ts';
import type { NumberFieldJob } from './drift-worker.ts';
import { numberFieldDrift, type FieldDrift } from './field-drift.ts';

/** Below this many current records a worker's start costs more than it saves. */
export const PARALLEL_MIN_RECORDS = 200_000;

export interface ParallelOptions {
  /** The started helper (DriftHelper.start); without one the analysis runs on this thread. */
  helper: DriftHelper | null;
  /**
   * Hand the worker's share of the current numeric columns over instead of copying them: they are detached (empty)
   * afterwards, for callers that do not read them again (the CLI), and no memory is spent on copies.
   */
  transfer?: boolean;
}

export async function analyzeDriftInParallel(input: DriftInput, options: ParallelOptions): Promise<DriftAnalysis> {
  const worker =
    options.helper && !input.window && input.current.count >= PARALLEL_MIN_RECORDS ? await options.helper.ready : null;
  if (!worker) return analyzeDrift(input);
  const numeric: string[] = [];
  for (const [name, ref] of input.reference.fields) {
    if (ref.kind === 'number' && input.current.numbers.has(name)) numeric.push(name);
  }
  // Every other numeric field goes to the worker: the fields of a file are alike enough for that to balance.
  const theirs = numeric.filter((_, k) => k % 2 === 1);
  const mine = numeric.filter((_, k) => k % 2 === 0);
  const fields = theirs.map((name) => {
    const values = input.current.numbers.get(name)!;
    return {
      reference: input.reference.fields.get(name) as NumberFieldJob['fields'][number]['reference'],
      values: options.transfer ? values : values.slice(),
    };
  });
  const answer = options.helper!.compare({ config: input.config, fields });
  const done = new Map<string, FieldDrift>();
  for (const name of mine) {
    const ref = input.reference.fields.get(name)!;
    if (ref.kind === 'number') done.set(name, numberFieldDrift(ref, input.current.numbers.get(name)!, input.config));
  }
  (await answer).forEach((field, k) => done.set(theirs[k]!, field));
  return analyzeDrift({ ...input, fieldDrifts: done });
}
