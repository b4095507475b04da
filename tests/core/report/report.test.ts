import { describe, expect, it } from 'vitest';
import {
  analyzeDrift,
  detectAnomalies,
  driftConfig,
  referenceFromColumns,
  STATUS_CODES,
  type ColumnData,
} from '../../../core/analysis/index.ts';
import { escapeHtml, renderReportHtml, renderReportJson, type Report } from '../../../core/report/index.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 16);
const HOSTILE = '<script>alert("x")</script>&\'';

function columns(shift: number, category: (i: number) => string): ColumnData {
  const count = 600;
  const ts = Float64Array.from({ length: count }, (_, i) => START + i * (HOUR / 4));
  const values = Float64Array.from({ length: count }, (_, i) => ((i * 7919) % 1000) + shift);
  const labels: string[] = [];
  const codes = Int32Array.from({ length: count }, (_, i) => {
    const label = category(i);
    if (!labels.includes(label)) labels.push(label);
    return labels.indexOf(label);
  });
  return {
    count,
    ts,
    numbers: new Map([[HOSTILE, values]]),
    categories: new Map([['CHANNEL', { codes, labels }]]),
    probability: Float64Array.from({ length: count }, (_, i) => (i % 100) / 100),
  };
}

function report(): Report {
  const reference = referenceFromColumns(
    columns(0, (i) => (i % 2 ? 'web' : 'branch')),
    'last month',
    'period',
  );
  const current = columns(400, (i) => (i % 3 === 0 ? HOSTILE : 'web'));
  const drift = analyzeDrift({ reference, current, config: driftConfig(), window: 'day' });
  const operational = {
    count: current.count,
    ts: current.ts,
    status: Uint8Array.from({ length: current.count }, (_, i) => (i % 50 === 0 ? STATUS_CODES.error : STATUS_CODES.ok)),
    latencyMs: Float64Array.from({ length: current.count }, (_, i) => 2 + (i % 7)),
    degraded: new Uint8Array(current.count),
  };
  return {
    title: `Report for ${HOSTILE}`,
    generatedAt: Date.UTC(2026, 10, 21, 12),
    source: 'vigie.sqlite',
    period: { from: drift.current.from, to: drift.current.to },
    drift,
    anomalies: detectAnomalies(operational),
    model: {
      name: 'credit-default',
      version: '1',
      kind: 'lightgbm',
      threshold: 0.1,
      createdAt: '2026-11-21',
      metrics: { roc_auc: 0.77 },
      dataFingerprint: 'sha256:abc',
      codeCommit: '0123abc',
    },
  };
}

describe('HTML report', () => {
  const html = renderReportHtml(report());

  it('keeps the first and last time labels inside the chart and says their time zone', () => {
    const ticks = [...html.matchAll(/<text [^>]*text-anchor="(start|middle|end)">(\d\d-\d\d \d\dh[^<]*)<\/text>/g)];
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks[0]![1]).toBe('start');
    expect(ticks.at(-1)![1]).toBe('end');
    expect(ticks.at(-1)![2]).toMatch(/h UTC$/);
  });

  it('escapes every string that comes from the data', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(escapeHtml(HOSTILE)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });

  it('is self-contained: inline style and SVG, nothing fetched from the network', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toMatch(/<style>[\s\S]*@media print/);
    expect(html.match(/<svg /g)!.length).toBeGreaterThan(4);
  });

  it('states the verdict, the drifted fields, data quality, anomalies and the model', () => {
    expect(html).toMatch(/Data-set drift: 2 of 2 fields drifted/);
    expect(html).toContain('<h2>Data quality</h2>');
    expect(html).toContain('<h2>Operations</h2>');
    expect(html).toContain('credit-default version 1 (lightgbm)');
    expect(html).toContain('roc_auc 0.77');
    expect(html).toContain(
      '<th title="Start of the first window in which the field drifted">First drifted window</th>',
    );
  });
});

describe('JSON report', () => {
  it('holds the same verdict, fields, windows and findings as the HTML', () => {
    const value = report();
    const json = JSON.parse(renderReportJson(value));
    expect(json.verdict).toMatchObject({ dataset_drift: true, drift_share: 1, prediction_drift: false });
    expect(Object.keys(json.drift.columns)).toEqual([HOSTILE, 'CHANNEL']);
    expect(json.drift.windows).toHaveLength(value.drift.windows.length);
    expect(json.anomalies.findings).toHaveLength(value.anomalies!.findings.length);
    expect(json.anomalies.windows[0]).toMatchObject({ start: '2026-11-16T00:00:00.000Z', requests: 4 });
    expect(json.model.name).toBe('credit-default');
    expect(json.drift.fields.CHANNEL.first_drifted_window).toBe('2026-11-16T00:00:00.000Z');
  });
});
