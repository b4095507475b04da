/** Shared shapes of the drift statistics: every method is a pure function `(reference, current, options) → result`. */

/** Values of one numeric column with missing values left out, sorted ascending. */
export type SortedNumbers = Float64Array;

/** Counts per category of one categorical column, missing values left out. */
export type CategoryCounts = ReadonlyMap<string, number>;

export interface MethodOptions {
  /** The value the statistic (or the p-value) is compared with; the method's default when absent. */
  threshold?: number;
}

export interface TestResult {
  statistic: number;
  /** The p-value, for the methods that are hypothesis tests; null for the distances. */
  pValue: number | null;
  threshold: number;
  drifted: boolean;
}

export class StatsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatsError';
  }
}

export function requireNonEmpty(size: number, which: string, method: string): void {
  if (size === 0) throw new StatsError(`${method} needs at least one ${which} value`);
}
