import { describe, expect, it } from 'vitest';
import { ingestRecords } from '../../../core/ingest/index.ts';
import { importOutcomes, OutcomeInputError, pseudonymise } from '../../../core/outcomes/index.ts';
import { OutcomeTable, type Store } from '../../../db/index.ts';
import { makeRecord, useTempStores } from '../ingest/fixtures.ts';

const { dir, newStore } = useTempStores();
const HASH_KEY = 'test-hash-key-0123456789';

async function storeWith(count: number, keyed = false): Promise<Store> {
  const store = newStore();
  const records = Array.from({ length: count }, (_, i) =>
    makeRecord(i, keyed ? { applicant_ref: pseudonymise(HASH_KEY, 100000 + i) } : {}),
  );
  await ingestRecords(store, records, 'test');
  return store;
}

const csv = (rows: string[]) => ['request_id,TARGET,observed_at', ...rows].join('\n') + '\n';
const req = (i: number) => `req-${String(i).padStart(6, '0')}`;

function labelled(store: Store): number {
  const rows = new OutcomeTable(store.db).labelledRows(0, Date.parse('2100-01-01'));
  return rows.outcome.filter((y) => y >= 0).length;
}

describe('importing outcomes', () => {
  it('joins request-keyed outcomes to their predictions', async () => {
    const store = await storeWith(5);
    const file = dir().file('o.csv', csv([`${req(0)},1,2026-12-20T00:00:00Z`, `${req(1)},0,2026-12-21T00:00:00Z`]));
    const summary = await importOutcomes(new OutcomeTable(store.db), file);
    expect(summary).toMatchObject({ inserted: 2, duplicates: 0, conflicts: 0, unmatched: 0, quarantined: 0 });
    expect(labelled(store)).toBe(2);
  });

  it('counts a repeated outcome as a duplicate and reports a different one as a conflict, keeping the first', async () => {
    const store = await storeWith(3);
    const table = new OutcomeTable(store.db);
    const file = dir().file(
      'o.csv',
      csv([`${req(0)},1,2026-12-20T00:00:00Z`, `${req(0)},1,2026-12-22T00:00:00Z`, `${req(0)},0,2026-12-23T00:00:00Z`]),
    );
    const summary = await importOutcomes(table, file);
    expect(summary).toMatchObject({ inserted: 1, duplicates: 1, conflicts: 1 });
    expect(summary.conflictList).toEqual([
      { lineNo: 4, requestId: req(0), applicantRef: null, storedOutcome: 1, newOutcome: 0 },
    ]);
    const rows = table.labelledRows(0, Date.parse('2100-01-01'));
    expect(rows.outcome[0]).toBe(1);
    expect(table.outcomeCounts().conflicts).toBe(1);
  });

  it('re-importing the same file adds nothing', async () => {
    const store = await storeWith(3);
    const file = dir().file('o.csv', csv([`${req(0)},1,2026-12-20T00:00:00Z`, `${req(2)},0,2026-12-20T00:00:00Z`]));
    await importOutcomes(new OutcomeTable(store.db), file);
    const again = await importOutcomes(new OutcomeTable(store.db), file);
    expect(again).toMatchObject({ inserted: 0, duplicates: 2, conflicts: 0 });
    expect(labelled(store)).toBe(2);
  });

  it('counts and lists outcomes with no prediction, and joins them once the late logs arrive', async () => {
    const store = await storeWith(2);
    const file = dir().file('o.csv', csv([`${req(0)},1,2026-12-20T00:00:00Z`, `${req(7)},0,2026-12-20T00:00:00Z`]));
    const summary = await importOutcomes(new OutcomeTable(store.db), file);
    expect(summary.unmatched).toBe(1);
    expect(summary.unmatchedList).toEqual([{ lineNo: 3, requestId: req(7), applicantRef: null }]);
    expect(new OutcomeTable(store.db).outcomeCounts().unmatchedByRequest).toBe(1);
    await ingestRecords(store, [makeRecord(7)], 'late');
    expect(labelled(store)).toBe(2);
    expect(new OutcomeTable(store.db).outcomeCounts().unmatchedByRequest).toBe(0);
  });

  it('joins SK_ID_CURR outcomes through the keyed hash and never stores the raw id', async () => {
    const store = await storeWith(4, true);
    const file = dir().file(
      'o.jsonl',
      [
        JSON.stringify({ SK_ID_CURR: 100001, TARGET: 1, observed_at: '2026-12-20T00:00:00Z' }),
        JSON.stringify({ SK_ID_CURR: '100003', TARGET: 0, observed_at: '2026-12-20T00:00:00Z' }),
        JSON.stringify({ SK_ID_CURR: 999999, TARGET: 0, observed_at: '2026-12-20T00:00:00Z' }),
        JSON.stringify({ SK_ID_CURR: 100002, TARGET: 7, observed_at: '2026-12-20T00:00:00Z' }),
        '{"SK_ID_CURR": 100002, broken',
      ].join('\n'),
    );
    const summary = await importOutcomes(new OutcomeTable(store.db), file, { key: 'SK_ID_CURR', hashKey: HASH_KEY });
    expect(summary).toMatchObject({ inserted: 3, unmatched: 1, quarantined: 2 });
    expect(summary.unmatchedList[0]!.applicantRef).toBe(pseudonymise(HASH_KEY, 999999));
    expect(labelled(store)).toBe(2);
    // No table of the store holds a raw id of the outcomes file (the predictions keep only the applicant_ref here).
    for (const table of ['labels', 'label_quarantine', 'label_conflicts', 'label_imports']) {
      const text = JSON.stringify(store.db.prepare(`SELECT * FROM ${table}`).all());
      for (const id of ['100001', '100003', '999999', '100002']) expect(text).not.toContain(id);
    }
  });

  it('quarantines unusable lines with their reason', async () => {
    const store = await storeWith(2);
    const file = dir().file(
      'o.csv',
      csv([
        `,1,2026-12-20T00:00:00Z`,
        `${req(0)},yes,2026-12-20T00:00:00Z`,
        `${req(1)},1,20 December`,
        `${req(1)},1`,
        `${req(1)},0,2026-12-20T08:00:00+01:00`,
      ]),
    );
    const summary = await importOutcomes(new OutcomeTable(store.db), file);
    expect(summary.inserted).toBe(1);
    expect(summary.byReason).toEqual({ missing_key: 1, bad_target: 1, bad_observed_at: 1, unreadable: 1 });
    const reasons = store.db.prepare('SELECT line_no AS lineNo, reason FROM label_quarantine ORDER BY line_no').all();
    expect(reasons).toEqual([
      { lineNo: 2, reason: 'missing_key' },
      { lineNo: 3, reason: 'bad_target' },
      { lineNo: 4, reason: 'bad_observed_at' },
      { lineNo: 5, reason: 'unreadable' },
    ]);
  });

  it('reads gzipped JSONL outcomes', async () => {
    const store = await storeWith(2);
    const text = JSON.stringify({ request_id: req(1), TARGET: 1, observed_at: '2026-12-20T00:00:00.000Z' });
    const file = dir().file('o.jsonl.gz', text, { gzip: true });
    expect((await importOutcomes(new OutcomeTable(store.db), file)).inserted).toBe(1);
  });

  it('refuses files it cannot read as outcomes, saying why', async () => {
    const store = await storeWith(1);
    const table = new OutcomeTable(store.db);
    await expect(importOutcomes(table, dir().file('o.txt', 'x'))).rejects.toThrow(/must end in .csv or .jsonl/);
    await expect(importOutcomes(table, dir().file('h.csv', 'id,TARGET\nx,1\n'))).rejects.toThrow(
      /header must name request_id, TARGET and observed_at/,
    );
    await expect(importOutcomes(table, dir().file('k.csv', csv([])), { key: 'SK_ID_CURR' })).rejects.toThrow(
      OutcomeInputError,
    );
    await expect(importOutcomes(table, `${dir().path}/missing.csv`)).rejects.toThrow(/no such file/);
  });
});
