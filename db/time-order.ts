/**
 * Puts rows read in rowid (or any) order into (ts, id) order, the order `core/analysis` expects its columns in.
 * Rows of files imported one after the other interleave in time (one file per replica and day): the sort starts
 * from the runs already in order, so a few long runs cost a few merge passes.
 */

/** A column of a scan, sorted along with the times. */
export type RowColumn = Float64Array | Int32Array | Uint8Array;

/**
 * Sorts the rows [offset, offset + rows) of `columns` (`ts` among them) by (ts, id) unless they are in that order
 * already; `ids` holds the rows' ids from index 0. Says whether it moved any.
 */
export function putInTimeOrder(
  columns: readonly RowColumn[],
  ts: Float64Array,
  ids: Float64Array,
  offset: number,
  rows: number,
): boolean {
  const times = ts.subarray(offset, offset + rows);
  let sorted = true;
  for (let i = 1; i < rows && sorted; i++) {
    sorted = times[i - 1]! < times[i]! || (times[i - 1] === times[i] && ids[i - 1]! < ids[i]!);
  }
  if (sorted) return false;
  const order = timeOrder(times, ids.subarray(0, rows));
  const scratch = new ArrayBuffer(rows * 8);
  // One loop per array type: a loop that met several would read each element through a slower generic path.
  for (const column of columns) {
    if (column instanceof Float64Array) gatherFloats(column, new Float64Array(scratch, 0, rows), order, offset);
    else if (column instanceof Int32Array) gatherInts(column, new Int32Array(scratch, 0, rows), order, offset);
    else gatherBytes(column, new Uint8Array(scratch, 0, rows), order, offset);
  }
  return true;
}

function gatherFloats(column: Float64Array, moved: Float64Array, order: Int32Array, offset: number): void {
  for (let j = 0; j < moved.length; j++) moved[j] = column[offset + order[j]!]!;
  column.set(moved, offset);
}

function gatherInts(column: Int32Array, moved: Int32Array, order: Int32Array, offset: number): void {
  for (let j = 0; j < moved.length; j++) moved[j] = column[offset + order[j]!]!;
  column.set(moved, offset);
}

function gatherBytes(column: Uint8Array, moved: Uint8Array, order: Int32Array, offset: number): void {
  for (let j = 0; j < moved.length; j++) moved[j] = column[offset + order[j]!]!;
  column.set(moved, offset);
}

/** The row indices in (ts, id) order: a merge sort of the runs already in that order. */
function timeOrder(ts: Float64Array, ids: Float64Array): Int32Array {
  const n = ts.length;
  const before = (a: number, b: number): boolean => ts[a]! < ts[b]! || (ts[a] === ts[b] && ids[a]! < ids[b]!);
  let order = new Int32Array(n);
  let spare = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let runs: number[] = [0];
  for (let i = 1; i < n; i++) if (before(i, i - 1)) runs.push(i);
  runs.push(n);
  while (runs.length > 2) {
    const merged: number[] = [];
    for (let r = 0; r + 1 < runs.length; r += 2) {
      const lo = runs[r]!;
      const mid = runs[r + 1]!;
      const hi = r + 2 < runs.length ? runs[r + 2]! : mid;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) spare[k++] = before(order[j]!, order[i]!) ? order[j++]! : order[i++]!;
      while (i < mid) spare[k++] = order[i++]!;
      while (j < hi) spare[k++] = order[j++]!;
      merged.push(lo);
    }
    merged.push(n);
    runs = merged;
    [order, spare] = [spare, order];
  }
  return order;
}
