/** The optimisation report as one self-contained HTML file: tables and inline SVG charts, nothing fetched. */
import { escapeHtml as e } from '../report/index.ts';
import type { OptimisationReport } from './optimisation-report.ts';
import type { ProfileRow } from './types.ts';

const COLOURS = ['#2b6cb0', '#d9622b', '#2f855a', '#805ad5', '#b7791f', '#c53030'];

const num = (value: number | null | undefined, digits = 3) =>
  value === null || value === undefined || Number.isNaN(value)
    ? '–'
    : Number(value.toPrecision(digits)).toLocaleString('en');

/** Lines over batch sizes on a log axis, one per configuration. */
function chart(title: string, unit: string, rows: ProfileRow[], pick: (row: ProfileRow) => number | null): string {
  const groups = new Map<string, ProfileRow[]>();
  for (const row of rows.filter((item) => item.status === 'ok')) {
    const key = `${row.ref} v${row.version} ${row.provider} ${row.workers}w ${row.graph_optimization}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const sizes = [...new Set(rows.map((row) => row.batch_size))].sort((a, b) => a - b);
  const values = [...groups.values()]
    .flat()
    .map(pick)
    .filter((v): v is number => v !== null);
  if (sizes.length === 0 || values.length === 0) return `<p>${e(title)}: nothing ran.</p>`;
  const [w, h, left, top, bottom] = [640, 220, 64, 24, 30];
  const max = Math.max(...values) || 1;
  const x = (size: number) =>
    left + (sizes.length === 1 ? 0.5 : sizes.indexOf(size) / (sizes.length - 1)) * (w - left - 150);
  const y = (v: number) => top + (h - top - bottom) * (1 - v / max);
  const lines = [...groups].map(([key, group], k) => {
    const colour = COLOURS[k % COLOURS.length]!;
    const points = group
      .map((row) => [row.batch_size, pick(row)] as const)
      .filter((point): point is readonly [number, number] => point[1] !== null)
      .map(([size, v]) => `${x(size).toFixed(1)},${y(v).toFixed(1)}`)
      .join(' ');
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/><text x="${w - 145}" y="${top + 14 * k + 10}" fill="${colour}" font-size="11">${e(key)}</text>`;
  });
  const ticks = sizes
    .map((size) => `<text x="${x(size).toFixed(1)}" y="${h - 10}" font-size="11" text-anchor="middle">${size}</text>`)
    .join('');
  return `<figure><svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${e(title)}"><text x="4" y="14" font-size="12" font-weight="600">${e(title)}</text><text x="4" y="${top + 10}" font-size="10">${num(max)} ${e(unit)}</text><line x1="${left}" y1="${h - bottom}" x2="${w - 150}" y2="${h - bottom}" stroke="#999"/>${ticks}${lines.join('')}</svg><figcaption>batch size (applicants per call)</figcaption></figure>`;
}

function rowsTable(rows: ProfileRow[]): string {
  const head = [
    'variant',
    'provider',
    'workers × threads',
    'graph',
    'batch',
    'status',
    'rows/s',
    'rows/CPU-s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'load ms',
    'warm-up ms',
    'RSS MB',
    'parity',
    'cost / 1 000',
  ];
  const body = rows
    .map((row) =>
      [
        `${row.ref} (v${row.version || '?'})`,
        row.provider,
        `${row.workers} × ${row.intra_op_threads}`,
        row.graph_optimization,
        row.batch_size,
        row.status,
        num(row.rows_per_s, 4),
        num(row.rows_per_cpu_s, 4),
        num(row.p50_ms),
        num(row.p95_ms),
        num(row.p99_ms),
        num(row.load_ms),
        num(row.warmup_ms),
        num(row.rss_mb),
        row.parity_max_abs_diff === null ? '–' : row.parity_max_abs_diff.toExponential(2),
        row.cost_per_1000 === null ? '–' : row.cost_per_1000.toExponential(2),
      ]
        .map((cell) => `<td>${e(cell)}</td>`)
        .join(''),
    )
    .map((cells) => `<tr>${cells}</tr>`)
    .join('');
  return `<table><thead><tr>${head.map((cell) => `<th>${e(cell)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

export function renderOptimisationHtml(report: OptimisationReport): string {
  const m = report.run.machine;
  const engine = report.bottleneck.engine;
  const stageRows = engine
    ? (['queue', 'pack', 'transfer', 'inference', 'return'] as const)
        .map((stage) => `<tr><td>${stage}</td><td>${num(engine[`${stage}_ms`], 3)} ms</td></tr>`)
        .join('')
    : '';
  const apiRows = report.bottleneck.api
    .map(
      (hour) =>
        `<tr><td>${e(new Date(hour.hour).toISOString().slice(0, 13))}:00</td><td>${hour.requests}</td><td>${num(hour.queue_ms)}</td><td>${num(hour.inference_ms)}</td><td>${num(hour.total_ms)}</td></tr>`,
    )
    .join('');
  const strategies = report.strategies
    .map(
      (s) =>
        `<tr><td>${e(s.name)}</td><td>${e(s.question)}</td><td>${e(s.tried.join(', '))}</td><td>${s.gain === null ? '–' : `${s.gain.toFixed(2)}×`}</td><td class="${s.kept ? 'ok' : 'no'}">${e(s.verdict)}</td></tr>`,
    )
    .join('');
  const checks = report.accuracy.checks
    .map(
      (c) =>
        `<tr><td>${e(c.name)}</td><td>${num(c.baseline, 5)}</td><td>${num(c.candidate, 5)}</td><td>± ${c.tolerance}</td><td class="${c.ok ? 'ok' : 'no'}">${c.ok ? 'unchanged' : 'changed'}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(report.title)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d2330}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:12px}td,th{border:1px solid #d5dae3;padding:3px 6px;text-align:left}
th{background:#f2f4f8}.ok{color:#2f855a;font-weight:600}.no{color:#c53030}figure{margin:0 0 1rem}svg{max-width:100%;border:1px solid #e2e6ee}
h2{margin-top:2rem;border-bottom:1px solid #d5dae3}</style></head><body>
<h1>${e(report.title)}</h1>
<p>Generated ${e(report.generated_at)}. Run ${e(report.run.startedAt)} → ${e(report.run.finishedAt)} on ${e(m.cpu_model)} (${m.cores} cores, ${m.memory_gb} GB, load average ${m.load_average.join(' / ')} at the start), ${e(m.platform)}, Node ${e(m.node)}, onnxruntime-node ${e(m.onnxruntime)}. Prices: ${report.run.prices.coreHour} ${e(report.run.prices.currency)} per core-hour, ${report.run.prices.gpuHour} per GPU-hour.</p>
<h2>Recommendation</h2>
${report.justification.map((line) => `<p>${e(line)}</p>`).join('')}
${report.gain ? `<p>Before → after: ${num(report.baseline?.rows_per_s, 4)} → ${num(report.recommended?.rows_per_s, 4)} rows/s, ${num(report.baseline?.rows_per_cpu_s, 4)} → ${num(report.recommended?.rows_per_cpu_s, 4)} rows per CPU-second, cost per 1 000 predictions ${report.baseline?.cost_per_1000?.toExponential(2)} → ${report.recommended?.cost_per_1000?.toExponential(2)} ${e(report.run.prices.currency)}.</p>` : ''}
<h2>Strategies tried</h2>
<table><thead><tr><th>strategy</th><th>question</th><th>tried</th><th>best gain</th><th>verdict</th></tr></thead><tbody>${strategies}</tbody></table>
${report.not_tried.map((line) => `<p>Not tried: ${e(line)}</p>`).join('')}
<h2>Where the time goes</h2>
<p>${e(report.bottleneck.text)}</p>
${stageRows ? `<table><thead><tr><th>engine stage (mean per micro-batch)</th><th>time</th></tr></thead><tbody>${stageRows}</tbody></table>` : ''}
${apiRows ? `<table><thead><tr><th>hour (UTC)</th><th>requests</th><th>queue ms</th><th>inference ms</th><th>total ms</th></tr></thead><tbody>${apiRows}</tbody></table>` : ''}
<h2>Accuracy check</h2>
<p>${report.accuracy.ok ? 'Passed' : 'Not passed'}: the recommended configuration against the baseline on the labelled reference sample (${report.accuracy.baseline?.rows ?? 0} applicants) and the golden applicants.</p>
<table><thead><tr><th>figure</th><th>baseline</th><th>recommended</th><th>tolerance</th><th></th></tr></thead><tbody>${checks}</tbody></table>
<h2>Charts</h2>
${chart('Throughput vs batch size', 'rows/s', report.configurations, (row) => row.rows_per_s)}
${chart('p99 latency per call vs batch size', 'ms', report.configurations, (row) => row.p99_ms)}
<h2>Every configuration</h2>
${rowsTable(report.configurations)}
${report.unavailable.length ? `<h2>Providers that did not run</h2><ul>${report.unavailable.map((u) => `<li>${e(u.ref)} on ${e(u.provider)}: ${e(u.status)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
