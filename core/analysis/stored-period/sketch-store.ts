/**
 * The port through which the stored-period analysis keeps hourly drift sketches: declared here, implemented by
 * `db/` (DriftSketchTable over migration 0003's tables), so core never imports the database.
 */
import type { DriftSketch } from '../drift/sketch.ts';

export interface StoredSketch extends DriftSketch {
  /** Epoch hour. */
  hour: number;
}

export interface SketchStore {
  /** Scored (status ok) records per epoch hour in [fromHour, toHour), hours without any left out. */
  scoredPerHour(fromHour: number, toHour: number): Map<number, number>;
  /** The stored sketches of the layout `key` for the hours [fromHour, toHour). */
  read(key: string, fromHour: number, toHour: number): StoredSketch[];
  /** Saves (replacing) sketches of `key`; false when the store cannot write. May throw when the file is busy. */
  save(key: string, layout: unknown, sketches: readonly StoredSketch[]): boolean;
}
