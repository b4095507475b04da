/** Test helper: simulated log records straight into the column arrays analysis reads (no database needed). */
import type { FieldSpec, LogRecord } from '../../../core/contract/index.ts';
import {
  STATUS_CODES,
  type CategoryColumn,
  type ColumnData,
  type OperationalData,
} from '../../../core/analysis/index.ts';

export function recordsToColumns(
  records: Iterable<LogRecord>,
  fields: readonly FieldSpec[],
  statuses: ReadonlyArray<keyof typeof STATUS_CODES> = ['ok', 'invalid'],
): { columns: ColumnData; operational: OperationalData } {
  const ts: number[] = [];
  const probability: number[] = [];
  const numbers = new Map<string, number[]>(fields.filter((f) => f.kind !== 'category').map((f) => [f.name, []]));
  const categories = new Map<string, { codes: number[]; labels: string[]; index: Map<string, number> }>(
    fields.filter((f) => f.kind === 'category').map((f) => [f.name, { codes: [], labels: [], index: new Map() }]),
  );
  const op = { ts: [] as number[], status: [] as number[], latency: [] as number[], degraded: [] as number[] };
  for (const record of records) {
    const time = Date.parse(record.ts);
    op.ts.push(time);
    op.status.push(STATUS_CODES[record.status]);
    op.latency.push(record.latency_ms?.total ?? Number.NaN);
    op.degraded.push(record.degraded ? 1 : 0);
    if (!statuses.includes(record.status)) continue;
    ts.push(time);
    probability.push(record.output?.probability ?? Number.NaN);
    const input = record.input ?? {};
    for (const [name, values] of numbers) {
      const v = input[name];
      values.push(typeof v === 'number' ? v : Number.NaN);
    }
    for (const [name, column] of categories) {
      const v = input[name];
      if (typeof v !== 'string') {
        column.codes.push(-1);
        continue;
      }
      let code = column.index.get(v);
      if (code === undefined) {
        code = column.labels.length;
        column.labels.push(v);
        column.index.set(v, code);
      }
      column.codes.push(code);
    }
  }
  const order = op.ts.map((_, i) => i).sort((a, b) => op.ts[a]! - op.ts[b]!);
  const columns: ColumnData = {
    count: ts.length,
    ts: Float64Array.from(ts),
    probability: Float64Array.from(probability),
    numbers: new Map([...numbers].map(([name, values]) => [name, Float64Array.from(values)])),
    categories: new Map(
      [...categories].map(([name, c]): [string, CategoryColumn] => [
        name,
        { codes: Int32Array.from(c.codes), labels: c.labels },
      ]),
    ),
  };
  const operational: OperationalData = {
    count: op.ts.length,
    ts: Float64Array.from(order.map((i) => op.ts[i]!)),
    status: Uint8Array.from(order.map((i) => op.status[i]!)),
    latencyMs: Float64Array.from(order.map((i) => op.latency[i]!)),
    degraded: Uint8Array.from(order.map((i) => op.degraded[i]!)),
  };
  return { columns, operational };
}
