/**
 * analyzeDrift on two cores: a worker thread compares about half of the numeric fields (sorting their current values
 * is most of the work) while this thread compares the others, then analyzeDrift assembles the answer from both, in
 * the reference's field order. Every field is computed by the same numberFieldDrift as on one thread, so the answer
 * is the same to the last bit. When the columns are in shared memory, both threads take the prediction and the
 * numeric fields in turn from one counter instead (claimed-fields.ts): no copy, and no split decided beforehand. Runs on one thread when there are windows, one core, few records, or no worker.
 */
import { analyzeDrift, type DriftAnalysis, type DriftInput } from './analyze-drift.ts';
import type { DriftHelper } from './drift-helper.ts';
import { compareClaimed, type SharedFieldJob } from './claimed-fields.ts';
import type { NumberFieldJob } from './drift-worker.ts';
import { categoryFieldDrift, numberFieldDrift, type FieldDrift } from './field-drift.ts';
import type { NumberReference } from './reference.ts';

/** Below this many current records a worker's start costs more than it saves. */
export const PARALLEL_MIN_RECORDS = 200_000;

export interface ParallelOptions {
  /** The started helper (DriftHelper.start); without one the analysis runs on this thread. */
  helper: DriftHelper | null;
  /**
   * Hand the worker's share of the current numeric columns over instead of copying them: they are detached (empty)
   * afterwards, for callers that do not read them again (the CLI), and no memory is spent on copies. Columns in
   * shared memory (a store's large reads) are neither copied nor detached.
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
  if (isShared(input, numeric)) return inSharedMemory(input, numeric, options.helper!);
  // Every other numeric field goes to the worker: the fields of a file are alike enough for that to balance.
  const theirs = numeric.filter((_, k) => k % 2 === 1);
  const mine = numeric.filter((_, k) => k % 2 === 0);
  const fields = theirs.map((name) => {
    const values = input.current.numbers.get(name)!;
    return {
      reference: input.reference.fields.get(name) as NumberFieldJob['fields'][number]['reference'],
      // Shared memory reaches the worker as it is; other columns are handed over, or copied when still needed here.
      values: options.transfer || values.buffer instanceof SharedArrayBuffer ? values : values.slice(),
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

function isShared(input: DriftInput, numeric: string[]): boolean {
  const shared = (values: Float64Array | undefined) => !values || values.buffer instanceof SharedArrayBuffer;
  return shared(input.current.probability) && numeric.every((name) => shared(input.current.numbers.get(name)));
}

/**
 * Columns in shared memory (a store's large reads, db/chunk-reader.ts): the prediction and every numeric field are
 * taken in turn by both threads from one counter, and this thread compares the category fields once none is left.
 */
async function inSharedMemory(input: DriftInput, numeric: string[], helper: DriftHelper): Promise<DriftAnalysis> {
  const { reference, current, config } = input;
  const fields: SharedFieldJob['fields'] = [];
  const withPrediction = reference.prediction !== null && current.probability !== undefined;
  if (withPrediction) fields.push({ reference: reference.prediction!, values: current.probability! });
  for (const name of numeric) {
    fields.push({ reference: reference.fields.get(name) as NumberReference, values: current.numbers.get(name)! });
  }
  const job: SharedFieldJob = { config, fields, control: new Int32Array(new SharedArrayBuffer(4)) };
  const answer = helper.compareShared(job);
  const claimed = compareClaimed(job);
  const done = new Map<string, FieldDrift>();
  for (const [name, ref] of reference.fields) {
    const column = current.categories.get(name);
    if (ref.kind === 'category' && column) done.set(name, categoryFieldDrift(ref, column, config));
  }
  // A helper that stopped leaves its fields to this thread: the answer is the same, only later.
  const theirs = await answer.catch(() => null);
  const all = theirs ? [...claimed, ...theirs] : claimed;
  if (!theirs) {
    const mine = new Set(claimed.map((c) => c.index));
    fields.forEach(({ reference: ref, values }, index) => {
      if (!mine.has(index)) all.push({ index, field: numberFieldDrift(ref, values, config) });
    });
  }
  let predictionDrift: FieldDrift | undefined;
  for (const { index, field } of all) {
    if (withPrediction && index === 0) predictionDrift = { ...field, name: 'prediction' };
    else done.set(numeric[index - (withPrediction ? 1 : 0)]!, field);
  }
  return analyzeDrift({ ...input, fieldDrifts: done, ...(predictionDrift ? { predictionDrift } : {}) });
}
