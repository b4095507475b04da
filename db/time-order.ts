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
  if (moveRuns(columns, times, ids, offset, rows)) return true;
  const order = timeOrder(times, ids.subarray(0, rows));
  // Rows already in place are not moved: nearly sorted data moves only its few stretches out of order. Every moved
  // row is read before any is written back (a stretch may take rows from another).
  const spans = movedSpans(order);
  let moved = 0;
  for (let s = 0; s < spans.length; s += 2) moved += spans[s + 1]! - spans[s]!;
  const scratch = new ArrayBuffer(moved * 8);
  // One loop per array type: a loop that met several would read each element through a slower generic path.
  for (const column of columns) {
    if (column instanceof Float64Array) gatherFloats(column, new Float64Array(scratch, 0, moved), order, offset, spans);
    else if (column instanceof Int32Array) gatherInts(column, new Int32Array(scratch, 0, moved), order, offset, spans);
    else gatherBytes(column, new Uint8Array(scratch, 0, moved), order, offset, spans);
  }
  return true;
}

/** Runs longer than this on average are worth trying to move whole. */
const LONG_RUN = 256;

/**
 * When the runs already in (ts, id) order do not overlap in time (files or days imported out of order), sorting the
 * runs by their first row is the whole sort: each column is moved run by run (a memory copy each). Says whether it
 * could.
 */
function moveRuns(columns: readonly RowColumn[], times: Float64Array, ids: Float64Array, offset: number, rows: number) {
  const starts: number[] = [0];
  const before = (a: number, b: number): boolean =>
    times[a]! < times[b]! || (times[a] === times[b] && ids[a]! < ids[b]!);
  for (let i = 1; i < rows; i++) {
    if (before(i, i - 1)) {
      starts.push(i);
      if (starts.length * LONG_RUN > rows) return false;
    }
  }
  const runs = starts.map((start, r) => ({ start, end: starts[r + 1] ?? rows }));
  runs.sort((a, b) => (before(a.start, b.start) ? -1 : before(b.start, a.start) ? 1 : 0));
  for (let r = 1; r < runs.length; r++) if (!before(runs[r - 1]!.end - 1, runs[r]!.start)) return false;
  const scratch = new ArrayBuffer(rows * 8);
  for (const column of columns) {
    const part = column.subarray(offset, offset + rows);
    const moved =
      column instanceof Float64Array
        ? new Float64Array(scratch, 0, rows)
        : column instanceof Int32Array
          ? new Int32Array(scratch, 0, rows)
          : new Uint8Array(scratch, 0, rows);
    let at = 0;
    for (const run of runs) {
      moved.set(part.subarray(run.start, run.end) as never, at);
      at += run.end - run.start;
    }
    part.set(moved as never);
  }
  return true;
}

/** [start, end) pairs of the places where `order` is not the identity. */
function movedSpans(order: Int32Array): number[] {
  const spans: number[] = [];
  let j = 0;
  while (j < order.length) {
    if (order[j] === j) {
      j++;
      continue;
    }
    const start = j;
    while (j < order.length && order[j] !== j) j++;
    spans.push(start, j);
  }
  return spans;
}

type Column = Float64Array | Int32Array | Uint8Array;

function writeBack(column: Column, moved: Column, offset: number, spans: number[]): void {
  let k = 0;
  for (let s = 0; s < spans.length; s += 2) {
    const n = spans[s + 1]! - spans[s]!;
    column.set(moved.subarray(k, k + n), offset + spans[s]!);
    k += n;
  }
}

function gatherFloats(column: Float64Array, moved: Float64Array, order: Int32Array, offset: number, spans: number[]) {
  let k = 0;
  for (let s = 0; s < spans.length; s += 2) {
    for (let j = spans[s]!; j < spans[s + 1]!; j++) moved[k++] = column[offset + order[j]!]!;
  }
  writeBack(column, moved, offset, spans);
}

function gatherInts(column: Int32Array, moved: Int32Array, order: Int32Array, offset: number, spans: number[]) {
  let k = 0;
  for (let s = 0; s < spans.length; s += 2) {
    for (let j = spans[s]!; j < spans[s + 1]!; j++) moved[k++] = column[offset + order[j]!]!;
  }
  writeBack(column, moved, offset, spans);
}

function gatherBytes(column: Uint8Array, moved: Uint8Array, order: Int32Array, offset: number, spans: number[]) {
  let k = 0;
  for (let s = 0; s < spans.length; s += 2) {
    for (let j = spans[s]!; j < spans[s + 1]!; j++) moved[k++] = column[offset + order[j]!]!;
  }
  writeBack(column, moved, offset, spans);
}

/** The row indices in (ts, id) order: a merge sort of the runs already in that order. */
export function timeOrder(ts: Float64Array, ids: Float64Array): Int32Array {
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
