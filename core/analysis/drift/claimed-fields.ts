/**
 * Numeric fields compared by two threads at once: the fields' current values are in shared memory and each thread
 * takes the next field from a shared counter until none is left (drift-worker.ts on the helper, parallel-drift.ts
 * here), so that a field that sorts slowly does not leave the other thread idle.
 */
import type { NumberFieldJob } from './drift-worker.ts';
import { numberFieldDrift, type FieldDrift } from './field-drift.ts';

/**
 * Numeric fields in shared memory, taken in turn from `control` (the next index to claim) by the worker and the
 * thread that sent them, so that neither waits on a badly balanced split. Answered with the fields this worker took.
 */
export interface SharedFieldJob extends NumberFieldJob {
  control: Int32Array;
}

export type SharedFieldAnswer =
  { ok: true; fields: Array<{ index: number; field: FieldDrift }> } | { ok: false; message: string };

/** Claims fields of a shared job until none is left; the sending thread runs the same loop. */
export function compareClaimed(job: SharedFieldJob): Array<{ index: number; field: FieldDrift }> {
  const done: Array<{ index: number; field: FieldDrift }> = [];
  for (let k = Atomics.add(job.control, 0, 1); k < job.fields.length; k = Atomics.add(job.control, 0, 1)) {
    const { reference, values } = job.fields[k]!;
    done.push({ index: k, field: numberFieldDrift(reference, values, job.config) });
  }
  return done;
}
