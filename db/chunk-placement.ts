/**
 * The first pass of the chunk reader (chunk-reader.ts): the chunks a filter may keep records of, from their
 * statistics, then, from their `ts` and `status` blobs (and the model columns when the filter names a model), which
 * records it keeps and where each goes in (ts, id) order.
 */
import type Database from 'better-sqlite3';
import { STATUS_CODES, type RecordFilter } from '../core/analysis/source.ts';
import { decodeCategories, numberView } from './chunk-format.ts';
import { timeOrder } from './time-order.ts';

export interface ChunkHead {
  id: number;
  first_id: number;
  rows: number;
  ts_min: number;
  ts_max: number;
  ok: number;
  invalid: number;
  rejected: number;
  error: number;
}

const STATUS_NAMES = ['ok', 'invalid', 'rejected', 'error'] as const;

/** Which statuses the filter keeps, by STATUS_CODES value. */
export function wantedStatuses(filter: RecordFilter): Uint8Array {
  const wanted = new Uint8Array(4).fill(1);
  if (filter.statuses) {
    wanted.fill(0);
    for (const status of filter.statuses) wanted[STATUS_CODES[status]] = 1;
  }
  return wanted;
}

/** The chunks whose statistics do not rule out every record: in the period, holding a wanted status. */
export function candidateChunks(db: Database.Database, filter: RecordFilter): ChunkHead[] {
  const from = filter.from ?? -Infinity;
  const to = filter.to ?? Infinity;
  const wanted = wantedStatuses(filter);
  return (
    db
      .prepare('SELECT id, first_id, rows, ts_min, ts_max, ok, invalid, rejected, error FROM record_chunks ORDER BY id')
      .all() as ChunkHead[]
  ).filter(
    (head) =>
      head.ts_max >= from && head.ts_min < to && STATUS_NAMES.some((name, code) => wanted[code] && head[name] > 0),
  );
}

export interface Placement {
  count: number;
  /** Per candidate chunk: the index of its first slot in `dest`, and how many of its records the filter keeps. */
  base: Int32Array;
  kept: Int32Array;
  /** Per slot of every candidate chunk: the record's place in the answer, -1 when the filter leaves it out. */
  dest: Int32Array;
  /** The kept records' times, in the answer's order. */
  ts: Float64Array;
  /** Whether the answer's order is the read order (no record moved). */
  identity: boolean;
}

/**
 * Which records of `candidates` the filter keeps and where each goes in (ts, id) order, into `dest` (one entry per
 * slot of every candidate) and `kept` (one per candidate), which the caller makes (in shared memory when other
 * threads read them).
 */
export function placeRecords(
  db: Database.Database,
  candidates: ChunkHead[],
  filter: RecordFilter,
  dest: Int32Array,
  kept: Int32Array,
): Placement {
  const from = filter.from ?? -Infinity;
  const to = filter.to ?? Infinity;
  const statusWanted = wantedStatuses(filter);
  const byModel = filter.model !== undefined || filter.servedBy !== undefined;
  const select = db
    .prepare(
      `SELECT ts, status${byModel ? ', model_name, model_version, served_by' : ''} FROM record_chunks WHERE id = ?`,
    )
    .raw();
  const base = new Int32Array(candidates.length);
  let slots = 0;
  for (let c = 0; c < candidates.length; c++) {
    base[c] = slots;
    slots += candidates[c]!.rows;
  }
  // Read order first: dest holds the kept records' read positions, then their places once sorted.
  dest.fill(-1);
  const readTs = new Float64Array(slots);
  const readIds = new Float64Array(slots);
  const slotScratch = new Int32Array(candidates.reduce((most, head) => Math.max(most, head.rows), 0));
  let count = 0;
  for (let c = 0; c < candidates.length; c++) {
    const head = candidates[c]!;
    const blobs = select.get(head.id) as Uint8Array[];
    const times = numberView(blobs[0]!);
    const b = base[c]!;
    const start = count;
    if (wholeChunk(head, statusWanted, from, to) && !byModel) {
      readTs.set(times, count);
      for (let i = 0; i < head.rows; i++) {
        readIds[count] = head.first_id + i;
        dest[b + i] = count++;
      }
    } else {
      const model = byModel ? blobs.slice(2, 5).map(decodeCategories) : null;
      const n = selectSlots(head, times, blobs[1]!, statusWanted, from, to, filter, model, slotScratch);
      for (let k = 0; k < n; k++) {
        const i = slotScratch[k]!;
        readTs[count] = times[i]!;
        readIds[count] = head.first_id + i;
        dest[b + i] = count++;
      }
    }
    kept[c] = count - start;
  }
  const times = readTs.subarray(0, count);
  const ids = readIds.subarray(0, count);
  let identity = true;
  for (let i = 1; i < count && identity; i++) {
    identity = times[i - 1]! < times[i]! || (times[i - 1] === times[i] && ids[i - 1]! < ids[i]!);
  }
  if (identity) return { count, base, kept, dest, ts: times, identity };
  const order = timeOrder(times, ids);
  const place = new Int32Array(count);
  const ts = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    place[order[j]!] = j;
    ts[j] = times[order[j]!]!;
  }
  for (let s = 0; s < slots; s++) if (dest[s]! >= 0) dest[s] = place[dest[s]!]!;
  return { count, base, kept, dest, ts, identity: false };
}

/** The slots of a chunk the filter keeps, into `keep`; answers how many. */
function selectSlots(
  head: Pick<ChunkHead, 'rows'>,
  times: Float64Array,
  status: Uint8Array,
  statusWanted: Uint8Array,
  from: number,
  to: number,
  filter: RecordFilter,
  model: ReturnType<typeof decodeCategories>[] | null,
  keep: Int32Array,
): number {
  const nameCode = model ? codeOf(model[0]!.labels, filter.model?.name) : 0;
  const versionCode = model ? codeOf(model[1]!.labels, filter.model?.version) : 0;
  const servedCode = model ? codeOf(model[2]!.labels, filter.servedBy) : 0;
  let n = 0;
  for (let i = 0; i < head.rows; i++) {
    const t = times[i]!;
    if (t < from || t >= to || !statusWanted[status[i]!]) continue;
    if (model) {
      if (nameCode !== null && (nameCode === -1 || model[0]!.codes[i] !== nameCode)) continue;
      if (versionCode !== null && (versionCode === -1 || model[1]!.codes[i] !== versionCode)) continue;
      if (servedCode !== null && (servedCode === -1 || model[2]!.codes[i] !== servedCode)) continue;
    }
    keep[n++] = i;
  }
  return n;
}

/** The chunk code of `label` (-1: not in the chunk), or null when the filter does not ask for one. */
function codeOf(labels: string[], label: string | undefined): number | null {
  if (label === undefined) return null;
  return labels.indexOf(label);
}

/** Whether the chunk's statistics alone show that the filter's time and status keep every record. */
function wholeChunk(head: ChunkHead, statusWanted: Uint8Array, from: number, to: number): boolean {
  return (
    head.ts_min >= from &&
    head.ts_max < to &&
    STATUS_NAMES.every((name, code) => statusWanted[code] || head[name] === 0)
  );
}
