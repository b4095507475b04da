import { describe, expect, it } from 'vitest';
import type { DriftFieldRow, DriftResult } from '../../console-api/types.ts';
import { createDriftStore, sortRows } from '../../renderer/src/stores/drift-store.ts';
import { deferred, scriptedClient } from './fake-client.ts';

function row(field: string, statistic: number, drifted: boolean): DriftFieldRow {
  return {
    field,
    kind: 'number',
    method: 'psi',
    statistic,
    pValue: null,
    threshold: 0.1,
    drifted,
    decidedBy: ['psi'],
    pending: false,
    trend: [],
    methods: [],
  };
}

function result(rows: DriftFieldRow[]): DriftResult {
  return {
    range: { from: 0, to: 1 },
    reference: 'champion',
    currentCount: 10,
    sampleStep: 1,
    pending: [],
    pendingError: null,
    driftShare: 0,
    driftedFields: 0,
    comparedFields: rows.length,
    datasetDrift: false,
    rule: 'auto',
    populations: { drift: { statuses: ['ok'], records: 10 }, quality: { statuses: ['ok', 'invalid'], records: 10 } },
    predictionByServedBy: [],
    window: 'day',
    fields: rows,
    quality: [],
  };
}

describe('drift store', () => {
  it('lists drifted fields first by default', () => {
    const rows = [row('A', 0.05, false), row('B', 0.3, true), row('C', 0.12, true)];
    expect(sortRows(rows, { key: 'verdict', descending: true }).map((r) => r.field)).toEqual(['B', 'C', 'A']);
  });

  it('sorts by field name ascending on the first click and descending on the second', () => {
    const { client } = scriptedClient({});
    const store = createDriftStore(client);
    store.getState().sortBy('field');
    expect(store.getState().sort).toEqual({ key: 'field', descending: false });
    store.getState().sortBy('field');
    expect(store.getState().sort).toEqual({ key: 'field', descending: true });
  });

  it('sorts by statistic with missing statistics last', () => {
    const rows = [row('A', 0.05, false), { ...row('B', 0, false), statistic: null }, row('C', 0.2, true)];
    expect(sortRows(rows, { key: 'statistic', descending: true }).map((r) => r.field)).toEqual(['C', 'A', 'B']);
  });

  it('loads the selected field of the same period', async () => {
    const { client, calls } = scriptedClient({
      drift: () => result([row('AMT_INCOME_TOTAL', 0.3, true)]),
      driftField: (input) => ({
        field: (input as { field: string }).field,
        kind: 'number',
        method: 'psi',
        threshold: 0.1,
        labels: [],
        reference: [],
        current: [],
        series: [],
        pending: false,
      }),
    });
    const store = createDriftStore(client);
    await store.getState().load({ from: 5, to: 9 });
    await store.getState().select('AMT_INCOME_TOTAL');
    expect(calls.at(-1)).toEqual({
      method: 'driftField',
      input: { field: 'AMT_INCOME_TOTAL', range: { from: 5, to: 9 } },
    });
    expect(store.getState().detail?.field).toBe('AMT_INCOME_TOTAL');
  });

  it('keeps the detail of the latest selection when answers arrive out of order', async () => {
    const slow = deferred<unknown>();
    const { client } = scriptedClient({
      driftField: (input) => {
        const field = (input as { field: string }).field;
        const detail = {
          field,
          kind: 'number',
          method: 'psi',
          threshold: 0.1,
          labels: [],
          reference: [],
          current: [],
          series: [],
          pending: false,
        };
        return field === 'A' ? slow.promise.then(() => detail) : detail;
      },
    });
    const store = createDriftStore(client);
    const first = store.getState().select('A');
    await store.getState().select('B');
    slow.resolve(null);
    await first;
    expect(store.getState().detail?.field).toBe('B');
  });

  it('reports a failed analysis in plain words', async () => {
    const { client } = scriptedClient({
      drift: () =>
        Promise.reject(
          Object.assign(new Error('No reference profile is available.'), { code: 'REFERENCE_UNAVAILABLE' }),
        ),
    });
    const store = createDriftStore(client);
    await store.getState().load({});
    expect(store.getState()).toMatchObject({ status: 'error', error: { code: 'REFERENCE_UNAVAILABLE' } });
  });

  it('shows the sketch answer at once, then asks for the complete one and shows it', async () => {
    const complete = deferred<unknown>();
    const first = { ...result([{ ...row('AMT_INCOME_TOTAL', 0.3, true), pending: true }]), pending: ['ks'] };
    const { client, calls } = scriptedClient({
      drift: (input) => ((input as { wait?: boolean }).wait ? complete.promise : first),
    });
    const store = createDriftStore(client);
    const loading = store.getState().load({ from: 5, to: 9 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.getState()).toMatchObject({ status: 'ready', result: { pending: ['ks'] } });
    expect(calls.at(-1)).toEqual({ method: 'drift', input: { range: { from: 5, to: 9 }, wait: true } });
    complete.resolve(result([row('AMT_INCOME_TOTAL', 0.3, true)]));
    await loading;
    expect(store.getState().result).toMatchObject({ pending: [], fields: [{ pending: false }] });
  });

  it('keeps the sketch answer and says why when the remaining methods fail', async () => {
    const first = { ...result([{ ...row('A', 0.3, true), pending: true }]), pending: ['ks', 'wasserstein'] };
    const { client } = scriptedClient({
      drift: (input) =>
        (input as { wait?: boolean }).wait
          ? Promise.reject(Object.assign(new Error('the analysis worker failed'), { code: 'INTERNAL' }))
          : first,
    });
    const store = createDriftStore(client);
    await store.getState().load({});
    expect(store.getState()).toMatchObject({
      status: 'ready',
      result: { pending: [], pendingError: 'the analysis worker failed', fields: [{ field: 'A' }] },
    });
  });

  it('keeps the latest period when a complete answer of an older one arrives late', async () => {
    const late = deferred<unknown>();
    const pendingResult = { ...result([row('A', 0.3, true)]), pending: ['ks'] };
    const { client } = scriptedClient({
      drift: (input) => {
        const { range, wait } = input as { range: { from?: number }; wait?: boolean };
        if (range.from === 1) return wait ? late.promise : pendingResult;
        return { ...result([row('B', 0.01, false)]), range: { from: 2, to: 3 } };
      },
    });
    const store = createDriftStore(client);
    const old = store.getState().load({ from: 1, to: 2 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await store.getState().load({ from: 2, to: 3 });
    late.resolve(result([row('A', 0.3, true)]));
    await old;
    expect(store.getState().result?.fields.map((r) => r.field)).toEqual(['B']);
  });

  it('asks for the complete field detail when its method is still pending', async () => {
    const detail = (pending: boolean) => ({
      field: 'AMT_CREDIT',
      kind: 'number',
      method: 'ks',
      threshold: 0.05,
      labels: [],
      reference: [],
      current: [],
      series: [{ t: 0, statistic: pending ? null : 0.01, drifted: false }],
      pending,
    });
    const { client, calls } = scriptedClient({
      driftField: (input) => detail(!(input as { wait?: boolean }).wait),
    });
    const store = createDriftStore(client);
    await store.getState().select('AMT_CREDIT');
    expect(calls.map((c) => (c.input as { wait?: boolean }).wait ?? false)).toEqual([false, true]);
    expect(store.getState().detail).toMatchObject({ pending: false, series: [{ statistic: 0.01 }] });
  });
});
