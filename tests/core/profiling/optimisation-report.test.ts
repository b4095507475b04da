import { describe, expect, it } from 'vitest';
import {
  buildOptimisationReport,
  renderOptimisationHtml,
  type CellAccuracy,
  type ProfileResult,
  type ProfileRow,
} from '../../../core/profiling/index.ts';

function row(overrides: Partial<ProfileRow>): ProfileRow {
  return {
    model: 'credit-default',
    ref: 'champion',
    version: '1',
    kind: 'lightgbm',
    provider: 'cpu',
    workers: 1,
    intra_op_threads: 2,
    graph_optimization: 'all',
    batch_size: 64,
    status: 'ok',
    rows_per_s: 100_000,
    rows_per_cpu_s: 100_000,
    p50_ms: 0.5,
    p95_ms: 1,
    p99_ms: 2,
    calls: 100,
    load_ms: 10,
    warmup_ms: 100,
    rss_mb: 200,
    parity_max_abs_diff: 0,
    parity_rows: 500,
    cost_per_1000: 1e-7,
    ...overrides,
  };
}

function accuracy(version: string, ref: string, approval = 0.7): CellAccuracy {
  return {
    ref,
    version,
    provider: 'cpu',
    workers: 1,
    graph_optimization: 'all',
    rows: 1000,
    roc_auc: 0.8,
    approval_rate: approval,
    segments: { CODE_GENDER: { F: { rows: 600, roc_auc: 0.8, approval_rate: approval } } },
  };
}

function result(rows: ProfileRow[], accuracies: CellAccuracy[]): ProfileResult {
  return {
    machine: {
      cpu_model: 'test CPU',
      cores: 2,
      memory_gb: 4,
      load_average: [1, 1, 1],
      platform: 'linux/x64',
      node: 'v20',
      onnxruntime: '1.30.0',
      hostname: 'box',
    },
    request: { models: ['champion', 'challenger'], providers: ['cpu'], batchSizes: [64], workers: [1] },
    prices: { coreHour: 0.04, gpuHour: 2.5, currency: 'USD' },
    startedAt: '2026-12-06T20:00:00.000Z',
    finishedAt: '2026-12-06T20:01:00.000Z',
    rows,
    stages: [],
    accuracy: accuracies,
  };
}

describe('the optimisation report', () => {
  it('keeps a faster variant whose accuracy is unchanged and recommends it', () => {
    const faster = row({
      ref: 'challenger',
      version: '3',
      rows_per_cpu_s: 150_000,
      rows_per_s: 150_000,
      cost_per_1000: 6e-8,
    });
    const report = buildOptimisationReport(
      result([row({}), faster], [accuracy('1', 'champion'), accuracy('3', 'challenger')]),
    );
    expect(report.strategies.find((s) => s.name === 'Model variant')).toMatchObject({ kept: true });
    expect(report.recommended).toMatchObject({ version: '3' });
    expect(report.accuracy.ok).toBe(true);
  });

  it('refuses a faster variant that changes the approval rate beyond the tolerance', () => {
    const faster = row({ ref: 'challenger', version: '3', rows_per_cpu_s: 150_000, rows_per_s: 150_000 });
    const report = buildOptimisationReport(
      result([row({}), faster], [accuracy('1', 'champion'), accuracy('3', 'challenger', 0.65)]),
    );
    expect(report.strategies.find((s) => s.name === 'Model variant')).toMatchObject({ kept: false });
    expect(report.strategies.find((s) => s.name === 'Model variant')!.verdict).toMatch(/fails the accuracy check/);
    expect(report.recommended).toMatchObject({ version: '1' });
  });

  it('does not count a gain under 5 % as a win', () => {
    const barely = row({ ref: 'challenger', version: '3', rows_per_cpu_s: 103_000 });
    const report = buildOptimisationReport(
      result([row({}), barely], [accuracy('1', 'champion'), accuracy('3', 'challenger')]),
    );
    expect(report.strategies.find((s) => s.name === 'Model variant')).toMatchObject({ kept: false });
    expect(report.recommended).toMatchObject({ version: '1' });
  });

  it('renders a self-contained HTML page that escapes what it prints', () => {
    const report = buildOptimisationReport(result([row({ ref: '<script>' })], []));
    const html = renderOptimisationHtml(report);
    expect(html).toContain('<h1>Vigie optimisation report</h1>');
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/https?:\/\//);
  });
});
