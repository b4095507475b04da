/**
 * The drift report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched, readable on
 * screen and on paper. Every string from the data is escaped.
 */
import {
  firstDriftedWindows,
  METHODS,
  type FieldDrift,
  type MethodName,
  type OperationalWindow,
  type WindowDrift,
} from '../analysis/index.ts';
import { escapeHtml as h, formatNumber, formatPercent, formatTime } from './escape.ts';
import { severityCounts, type Report } from './report.ts';
import { barChart } from './bar-chart.ts';
import { lineChart } from './line-chart.ts';
import { REPORT_CSS } from './report-css.ts';
import { performanceSection } from './performance-section.ts';

function methodCell(field: FieldDrift, name: MethodName): string {
  const result = field.methods[name];
  if (!result) return '<td class="num muted">–</td>';
  const shown = result.pValue === null ? formatNumber(result.statistic) : `p ${formatNumber(result.pValue)}`;
  const title = `statistic ${result.statistic}${result.pValue === null ? '' : `, p-value ${result.pValue}`}, threshold ${result.threshold}`;
  return `<td class="num${result.drifted ? ' bad' : ''}" title="${h(title)}">${h(shown)}</td>`;
}

/** Which test made the verdict, so a red statistic beside "stable" (or the reverse) is never left unexplained. */
function decidedBy(field: FieldDrift): string {
  if (field.decidedBy.length !== 1) return '';
  return `<br><span class="muted">by ${h(METHODS[field.decidedBy[0]!].label)}</span>`;
}

/** `since`: the first window each field drifted in; the column is shown only when there are windows. */
function fieldTable(fields: FieldDrift[], methods: MethodName[], since: Map<string, number> | null): string {
  const head = methods.map((m) => `<th title="${h(METHODS[m].description)}">${h(METHODS[m].label)}</th>`).join('');
  const sinceCell = (f: FieldDrift) => {
    if (!since) return '';
    const start = since.get(f.name);
    return `<td>${start === undefined ? '–' : h(formatTime(start))}</td>`;
  };
  const rows = fields
    .map(
      (f) => `<tr><th scope="row">${h(f.name)}</th><td>${h(f.kind)}</td>${methods.map((m) => methodCell(f, m)).join('')}
<td class="${f.drifted ? 'bad' : 'good'}">${f.drifted ? 'drift' : 'stable'}${decidedBy(f)}</td>${sinceCell(f)}<td class="num">${f.currentCount.toLocaleString('en-US')}</td></tr>`,
    )
    .join('\n');
  const sinceHead = since
    ? '<th title="Start of the first window in which the field drifted">First drifted window</th>'
    : '';
  return `<table><thead><tr><th>Field</th><th>Kind</th>${head}<th>Verdict</th>${sinceHead}<th>Values</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function qualityTable(fields: FieldDrift[]): string {
  const rows = fields
    .map((f) => {
      const q = f.quality;
      const change = q.missingRateChange;
      const unseen = q.unseenCategories
        .slice(0, 5)
        .map((u) => `${h(u.category)} (${u.count.toLocaleString('en-US')})`)
        .join(', ');
      const flagged = Math.abs(change) >= 0.01 || q.outOfRangeShare >= 0.01;
      return `<tr${flagged ? ' class="flag"' : ''}><th scope="row">${h(f.name)}</th><td class="num">${formatPercent(q.referenceMissingRate)}</td>
<td class="num">${formatPercent(q.currentMissingRate)}</td><td class="num${Math.abs(change) >= 0.01 ? ' bad' : ''}">${change >= 0 ? '+' : ''}${formatPercent(change)}</td>
<td class="num${q.outOfRangeShare >= 0.01 ? ' bad' : ''}">${formatPercent(q.outOfRangeShare)}</td><td>${unseen || '–'}</td></tr>`;
    })
    .join('\n');
  return `<table><thead><tr><th>Field</th><th>Missing (reference)</th><th>Missing (current)</th><th>Change</th>
<th>Outside reference range / categories</th><th>Unseen categories</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The method whose statistic a time series shows for a field: a distance when one was run, else the first. */
function seriesMethod(field: FieldDrift): MethodName | null {
  const names = Object.keys(field.methods) as MethodName[];
  return names.find((m) => METHODS[m].direction === 'statistic-above') ?? names[0] ?? null;
}

function windowCharts(report: Report): string {
  const { drift } = report;
  const windows: WindowDrift[] = drift.windows;
  if (windows.length === 0) return '<p class="muted">No time windows (a single comparison).</p>';
  const times = windows.map((w) => w.start);
  const charts = [
    lineChart({
      title: `Share of drifted fields per ${drift.window}`,
      times,
      series: [{ name: 'drift share', values: windows.map((w) => w.driftShare) }],
      threshold: drift.config.datasetDriftShare,
    }),
  ];
  const interesting = [...drift.fields.filter((f) => f.drifted), ...(drift.prediction ? [drift.prediction] : [])];
  for (const field of interesting.slice(0, 12)) {
    const method = seriesMethod(field);
    if (!method) continue;
    const values = windows.map((w) => {
      const entry = field.name === 'prediction' && drift.prediction === field ? w.prediction : w.fields[field.name];
      return entry?.methods[method]?.[METHODS[method].direction === 'p-below' ? 'pValue' : 'statistic'] ?? Number.NaN;
    });
    charts.push(
      lineChart({
        title: `${field.name}: ${METHODS[method].label} per ${drift.window}`,
        times,
        series: [{ name: METHODS[method].label, values: values.map((v) => v ?? Number.NaN) }],
        threshold: drift.config.thresholds[method],
      }),
    );
  }
  return charts.join('\n');
}

function anomalySection(report: Report): string {
  const anomalies = report.anomalies;
  if (!anomalies) return '<p class="muted">No operational data.</p>';
  const times = anomalies.windows.map((w) => w.start);
  const findingWindows = (metric: string) =>
    anomalies.windows
      .map((w, i) =>
        anomalies.findings.some((f) => f.start === w.start && f.metric.startsWith(metric) && f.severity !== 'info')
          ? i
          : -1,
      )
      .filter((i) => i >= 0);
  const rate = (pick: (w: OperationalWindow) => [number, number]) =>
    anomalies.windows.map((w) => {
      const [k, n] = pick(w);
      return n ? k / n : Number.NaN;
    });
  const charts = [
    lineChart({
      title: `Requests per ${anomalies.window}`,
      times,
      series: [{ name: 'requests', values: anomalies.windows.map((w) => w.requests) }],
      marks: findingWindows('volume'),
    }),
    lineChart({
      title: 'Latency (ms)',
      times,
      unit: 'ms',
      series: [
        { name: 'p50', values: anomalies.windows.map((w) => w.latencyP50) },
        { name: 'p95', values: anomalies.windows.map((w) => w.latencyP95) },
        { name: 'p99', values: anomalies.windows.map((w) => w.latencyP99) },
      ],
      marks: findingWindows('latency'),
    }),
    lineChart({
      title: 'Rates',
      times,
      series: [
        { name: 'errors', values: rate((w) => [w.errors, w.requests]) },
        { name: 'invalid', values: rate((w) => [w.invalid, w.requests]) },
        { name: 'rejected', values: rate((w) => [w.rejected, w.requests]) },
        { name: 'fallback', values: rate((w) => [w.degraded, w.ok]) },
      ],
      marks: [
        ...findingWindows('error'),
        ...findingWindows('invalid'),
        ...findingWindows('rejected'),
        ...findingWindows('fallback'),
      ],
    }),
  ];
  const order = { critical: 0, warning: 1, info: 2 } as const;
  const findings = [...anomalies.findings].sort((a, b) => order[a.severity] - order[b.severity] || a.start - b.start);
  const rows = findings
    .map(
      (
        f,
      ) => `<tr><td class="sev ${f.severity}">${f.severity}</td><td>${h(formatTime(f.start))}</td><td>${h(f.metric)}</td>
<td class="num">${h(formatNumber(f.observed))}</td><td class="num">${h(formatNumber(f.baseline))}</td><td>${h(f.explanation)}</td></tr>`,
    )
    .join('\n');
  const table = findings.length
    ? `<table><thead><tr><th>Severity</th><th>Window start</th><th>Metric</th><th>Observed</th><th>Baseline</th><th>Explanation</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p class="good">No operational anomaly.</p>';
  return `${charts.join('\n')}\n<h3>Findings</h3>${table}`;
}

function modelSection(report: Report): string {
  const model = report.model;
  if (!model) return '<p class="muted">No model package (the reference is a period of the store or a file).</p>';
  const metrics = Object.entries(model.metrics)
    .map(([k, v]) => `${h(k)} ${h(formatNumber(v))}`)
    .join(', ');
  const rows: Array<[string, string]> = [
    ['Model', `${model.name} version ${model.version} (${model.kind})`],
    ['Decision threshold', formatNumber(model.threshold)],
    // MLmodel's utc_time_created is UTC but carries no zone: say so.
    [
      'Created',
      model.createdAt
        ? `${model.createdAt.replace('T', ' ')}${/(Z|[+-]\d\d:?\d\d| UTC)$/.test(model.createdAt) ? '' : ' UTC'}`
        : '–',
    ],
    ['Validation metrics', metrics || '–'],
    ['Training data fingerprint', model.dataFingerprint ?? '–'],
    ['Code commit', model.codeCommit ?? '–'],
  ];
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td>${k === 'Validation metrics' ? v : h(v)}</td></tr>`).join('')}</table>`;
}

export function renderReportHtml(report: Report): string {
  const { drift } = report;
  const counts = severityCounts(report.anomalies);
  const methods = [...drift.config.numberMethods, ...drift.config.categoryMethods];
  const since = drift.windows.length ? firstDriftedWindows(drift) : null;
  const verdictClass =
    drift.datasetDrift || counts.critical > 0 ? 'bad' : drift.driftedFields.length || counts.warning ? 'warn' : 'good';
  const verdict = drift.datasetDrift
    ? `Data-set drift: ${drift.driftedFields.length} of ${drift.fields.length} fields drifted (share ${formatNumber(drift.driftShare)} ≥ ${drift.config.datasetDriftShare}).`
    : drift.driftedFields.length
      ? `No data-set drift, but ${drift.driftedFields.length} of ${drift.fields.length} fields drifted (share ${formatNumber(drift.driftShare)}).`
      : `No drift: none of the ${drift.fields.length} fields drifted.`;
  const distributions = [...drift.fields, ...(drift.prediction ? [drift.prediction] : [])]
    .map(
      (f) =>
        `<figure class="${f.drifted ? 'drifted' : ''}">${barChart({ ...f.distribution, title: `${f.name}${f.drifted ? ' — drift' : ''}` })}</figure>`,
    )
    .join('\n');
  const methodNotes = methods
    .map(
      (m) =>
        `<li><b>${h(METHODS[m].label)}</b>: ${h(METHODS[m].description)}; drift when ${METHODS[m].direction === 'p-below' ? 'p-value <' : 'statistic ≥'} ${h(drift.config.thresholds[m])}.</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${h(report.title)}</title>
<style>${REPORT_CSS}</style></head>
<body>
<header><h1>${h(report.title)}</h1>
<p>Generated ${h(formatTime(report.generatedAt))} from ${h(report.source)} · records ${h(formatTime(report.period.from))} to ${h(formatTime(report.period.to))} · ${drift.current.rows.toLocaleString('en-US')} records compared with ${h(drift.reference.label)} (${drift.reference.rows.toLocaleString('en-US')} rows)</p></header>
<section class="verdict ${verdictClass}"><h2>Verdict</h2>
<p>${h(verdict)}</p>
${drift.driftedFields.length ? `<p>Drifted fields: ${drift.driftedFields.map((n) => `<b>${h(n)}</b>`).join(', ')}.</p>` : ''}
${drift.prediction ? `<p>Prediction (probability of default): ${drift.prediction.drifted ? '<b>drifted</b>' : 'stable'}.</p>` : ''}
<p>Operational anomalies: ${counts.critical} critical, ${counts.warning} warning, ${counts.info} info.</p></section>
<section><h2>Fields</h2>${fieldTable(drift.fields, methods, since)}
${drift.prediction ? `<h3>Prediction</h3>${fieldTable([drift.prediction], drift.config.numberMethods as MethodName[], since)}` : ''}</section>
<section><h2>Distributions: reference and current</h2><div class="grid">${distributions}</div></section>
<section><h2>Over time</h2>${windowCharts(report)}</section>
<section><h2>Data quality</h2>${qualityTable(drift.fields)}</section>
<section><h2>Operations</h2>${anomalySection(report)}</section>
<section><h2>Performance</h2>${performanceSection(report.performance)}</section>
<section><h2>Model</h2>${modelSection(report)}</section>
<footer><h2>Methods</h2><ul>${methodNotes}</ul>
<p>A field drifts when ${h(drift.config.vote === 'auto' ? 'the one test chosen for it by type and reference size says so (Kolmogorov–Smirnov or chi-square for references of up to 1 000 values, else the normed Wasserstein or the Jensen–Shannon distance, as in Evidently); the other methods are shown for information' : drift.config.vote === 'majority' ? 'more than half of its methods say so' : drift.config.vote === 'any' ? 'any of its methods says so' : 'all of its methods say so')}; the data set drifts when the share of drifted fields is at least ${h(drift.config.datasetDriftShare)}. Missing values are left out of every statistic and reported as missing rates.</p></footer>
</body></html>
`;
}
