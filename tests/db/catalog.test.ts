import { afterEach, beforeEach, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/index.ts';

let store: Store;

beforeEach(() => {
  store = openStore(':memory:');
});

afterEach(() => {
  store.close();
});

function quarantineLines(location: string, reasons: string[]): number {
  const source = store.openNamedSource('generator', location);
  store.writeBatch(source.id, {
    rows: [],
    quarantined: reasons.map((reason, i) => ({ lineNo: i + 1, reason, detail: 'why', excerpt: `line ${i + 1}` })),
    lines: reasons.length,
  });
  return source.id;
}

it('pages through quarantined lines in source and line order', () => {
  quarantineLines('a', ['bad_json', 'invalid_ts', 'bad_json']);
  quarantineLines('b', ['not_object']);
  const first = store.catalog.listQuarantine({ limit: 2 });
  const second = store.catalog.listQuarantine({ limit: 2, offset: 2 });
  expect(first.total).toBe(4);
  expect([...first.rows, ...second.rows].map((q) => [q.location, q.lineNo])).toEqual([
    ['a', 1],
    ['a', 2],
    ['a', 3],
    ['b', 1],
  ]);
});

it('filters quarantined lines by source and by reason', () => {
  const a = quarantineLines('a', ['bad_json', 'invalid_ts']);
  quarantineLines('b', ['bad_json']);
  expect(store.catalog.listQuarantine({ sourceId: a }).total).toBe(2);
  expect(store.catalog.listQuarantine({ reason: 'bad_json' }).rows.map((q) => q.location)).toEqual(['a', 'b']);
  expect(store.catalog.quarantineByReason()).toEqual({ bad_json: 2, invalid_ts: 1 });
});

it('never stores the same quarantined line of a source twice', () => {
  const id = quarantineLines('a', ['bad_json']);
  store.writeBatch(id, {
    rows: [],
    quarantined: [{ lineNo: 1, reason: 'bad_json', detail: '', excerpt: '' }],
    lines: 0,
  });
  expect(store.catalog.listQuarantine().total).toBe(1);
});

it('stores labels by request id or applicant reference', () => {
  const count = store.catalog.addLabels([
    { requestId: 'r1', outcome: 1, observedAt: 1 },
    { applicantRef: 'ref-9', outcome: 0, observedAt: 2 },
  ]);
  expect(count).toBe(2);
  expect(store.catalog.countLabels()).toBe(2);
  expect(() => store.catalog.addLabels([{ outcome: 1, observedAt: 3 }])).toThrow();
});

it('saves analysis results and reads them back', () => {
  const id = store.catalog.saveAnalysisResult('drift', { from: 1, to: 2 }, { drift_share: 0.25 });
  store.catalog.saveAnalysisResult('anomalies', {}, []);
  expect(store.catalog.listAnalysisResults({ kind: 'drift' }).map((r) => r.params)).toEqual([{ from: 1, to: 2 }]);
  expect(store.catalog.getAnalysisResult(id)).toMatchObject({ kind: 'drift', result: { drift_share: 0.25 } });
  expect(store.catalog.getAnalysisResult(999)).toBeNull();
});
