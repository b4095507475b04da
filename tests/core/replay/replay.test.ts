import { afterEach, describe, expect, it } from 'vitest';
import { fromShadowLogs, replay } from '../../../core/replay/index.ts';
import type { Store } from '../../../db/index.ts';
import { MODELS_DIR, scoredStore } from '../../helpers/scored-store.ts';

let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

describe('replay', () => {
  it('finds no flip and |Δp| at most 1e-6 when the champion replays its own logged answers', async () => {
    store = await scoredStore({ rows: 2000 });
    const report = await replay({
      source: store,
      modelsDir: MODELS_DIR,
      candidate: 'champion',
      workers: 1,
      batchSize: 700,
    });
    expect(report.requests).toBeGreaterThan(1500);
    expect(report.compared).toBe(report.requests);
    expect(report.flips.approveRefuse + report.flips.refuseApprove).toBe(0);
    expect(report.delta.maxAbs).toBeLessThanOrEqual(1e-6);
    expect(report.verdict.level).toBe('equivalent');
    expect(report.outcomes).toBeNull();
    expect(report.verdict.reasons.join(' ')).toContain('no outcomes are stored');
  });

  it('counts flips against the fallback model and their table adds up to the compared requests', async () => {
    store = await scoredStore({ rows: 2000 });
    const report = await replay({ source: store, modelsDir: MODELS_DIR, candidate: 'fallback', workers: 1 });
    const f = report.flips;
    expect(f.approveApprove + f.approveRefuse + f.refuseApprove + f.refuseRefuse).toBe(report.compared);
    expect(f.approveRefuse + f.refuseApprove).toBeGreaterThan(0);
    expect(report.delta.counts.reduce((a, b) => a + b, 0)).toBe(report.compared);
    expect(report.delta.maxAbs).toBeGreaterThan(1e-6);
    expect(report.concentration.length).toBeGreaterThan(0);
    const genders = report.segments.filter((s) => s.field === 'CODE_GENDER');
    expect(genders.reduce((n, s) => n + s.count, 0)).toBe(report.compared);
    expect(report.segments.some((s) => s.field === 'AGE_BAND')).toBe(true);
    expect(report.latency[0]).toMatchObject({ who: 'candidate' });
    expect(report.latency[0]!.p99Ms).toBeGreaterThan(0);
  });

  it('compares two models with each other when the baseline is a model', async () => {
    store = await scoredStore({ rows: 800 });
    const same = await replay({
      source: store,
      modelsDir: MODELS_DIR,
      candidate: 'fallback',
      baseline: 'fallback',
      workers: 1,
    });
    expect(same.flips.rates.flips).toBe(0);
    expect(same.delta.maxAbs).toBeLessThanOrEqual(1e-6);
    expect(same.baseline.models).toEqual(['credit-default/2']);
  });

  it('only replays the requests of the period', async () => {
    store = await scoredStore({ rows: 2000, days: 2 });
    const from = Date.UTC(2026, 10, 2);
    const report = await replay({
      source: store,
      modelsDir: MODELS_DIR,
      candidate: 'champion',
      workers: 1,
      filter: { from },
    });
    expect(report.requests).toBe(store.countScored({ from }));
    expect(report.requests).toBeLessThan(store.countScored({}));
  });

  it('reports realised AUC and cost of both models when outcomes are stored', async () => {
    store = await scoredStore({ rows: 1500 });
    const ids = store.db.prepare("SELECT request_id FROM predictions WHERE status = 'ok'").pluck().all() as string[];
    const insert = store.db.prepare(
      'INSERT INTO labels (request_id, outcome, observed_at, source) VALUES (?, ?, 0, ?)',
    );
    ids.forEach((id, i) => insert.run(id, i % 9 === 0 ? 1 : 0, 'test'));
    const report = await replay({ source: store, modelsDir: MODELS_DIR, candidate: 'fallback', workers: 1 });
    expect(report.outcomes).not.toBeNull();
    expect(report.outcomes!.labelled).toBe(report.compared);
    expect(report.outcomes!.baseline.auc).toBeGreaterThan(0);
    expect(report.outcomes!.candidate.costPerApplicant).toBeGreaterThan(0);
  });

  it('stops between batches when cancelled', async () => {
    store = await scoredStore({ rows: 2000 });
    const controller = new AbortController();
    const run = replay({
      source: store,
      modelsDir: MODELS_DIR,
      candidate: 'champion',
      workers: 1,
      batchSize: 200,
      chunkRows: 200,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toThrow(/abort/i);
  });

  it('reads the shadow answers production logged and compares them with the served answers', async () => {
    store = await scoredStore({
      rows: 1000,
      edit: (record, i) => {
        if (record.status !== 'ok' || !record.output) return;
        record.arm = i % 4 === 0 ? 'challenger' : 'champion';
        if (i % 10 === 0) {
          record.shadow = {
            model: { name: 'credit-default', version: '3', alias: 'challenger' },
            error: 'SHADOW_TIMEOUT',
          };
          return;
        }
        const refuse = record.output.decision === 'refuse';
        const flip = i % 7 === 0;
        record.shadow = {
          model: { name: 'credit-default', version: '3', alias: 'challenger' },
          probability: record.output.probability,
          decision: flip ? (refuse ? 'approve' : 'refuse') : record.output.decision,
          latency_ms: 0.5,
        };
      },
    });
    const report = fromShadowLogs({ source: store });
    expect(report.kind).toBe('shadow');
    expect(report.candidate.models).toEqual(['credit-default/3']);
    expect(report.candidateErrors).toBeGreaterThan(0);
    expect(report.flips.approveRefuse + report.flips.refuseApprove).toBeGreaterThan(0);
    expect(report.latency[0]!.samples).toBe(report.compared);
    // Ingest keeps `arm` and `shadow` (fields without a column of their own) whole in the record's extra JSON.
    expect(report.arms.map((a) => a.arm)).toEqual(['champion', 'challenger'].sort());
    expect(report.arms.reduce((n, a) => n + a.requests, 0)).toBe(report.requests);
  });
});
