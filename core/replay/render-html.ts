/** The replay report as one self-contained HTML page (no scripts, nothing fetched), for a promotion file. */
import { escapeHtml } from '../report/index.ts';
import type { ReplayReport } from './types.ts';

const pct = (share: number) => `${(share * 100).toFixed(2)} %`;
const num = (value: number | null, digits = 3) => (value === null ? '–' : value.toFixed(digits));
const day = (ms: number | null) => (ms === null ? 'open' : new Date(ms).toISOString().replace('.000Z', 'Z'));

function histogram(report: ReplayReport): string {
  const { edges, counts } = report.delta;
  const max = Math.max(1, ...counts);
  const width = 520;
  const height = 140;
  const bar = width / counts.length;
  const bars = counts
    .map((count, i) => {
      const h = (count / max) * (height - 20);
      const range =
        i === 0 ? `< ${edges[0]}` : i === counts.length - 1 ? `≥ ${edges.at(-1)}` : `${edges[i - 1]} to ${edges[i]}`;
      return `<rect x="${(i * bar).toFixed(1)}" y="${(height - 14 - h).toFixed(1)}" width="${(bar - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#2b6cb0"><title>Δp ${escapeHtml(range)}: ${count}</title></rect>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Δp histogram">${bars}
<text x="0" y="${height - 2}" font-size="9">≤ ${edges[0]}</text><text x="${width / 2}" y="${height - 2}" font-size="9" text-anchor="middle">0</text><text x="${width}" y="${height - 2}" font-size="9" text-anchor="end">≥ ${edges.at(-1)}</text></svg>`;
}

function rows(cells: Array<Array<string | number>>): string {
  return cells.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
}

export function renderReplayHtml(report: ReplayReport, generatedAt = Date.now()): string {
  const f = report.flips;
  const o = report.outcomes;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigie challenger report</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem;max-width:60rem;color:#1a202c}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border:1px solid #cbd5e0;padding:.25rem .6rem;text-align:left}th{background:#edf2f7}.verdict{font-size:1.2rem;font-weight:600}</style></head>
<body>
<h1>Challenger report</h1>
<p>Candidate <b>${escapeHtml(report.candidate.ref)}</b> (${escapeHtml(report.candidate.models.join(', '))}) against
<b>${escapeHtml(report.baseline.ref)}</b> (${escapeHtml(report.baseline.models.join(', '))}),
period ${escapeHtml(day(report.period.from))} – ${escapeHtml(day(report.period.to))}. Generated ${escapeHtml(new Date(generatedAt).toISOString())}.</p>
<p class="verdict">Verdict: ${escapeHtml(report.verdict.level)}</p>
<ul>${report.verdict.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>
<h2>Decision flips</h2>
<p>${report.compared} of ${report.requests} scored requests compared; ${report.candidateErrors} the candidate could not score.</p>
<table><tr><th></th><th>candidate approves</th><th>candidate refuses</th></tr>
<tr><th>baseline approves</th><td>${f.approveApprove}</td><td>${f.approveRefuse} (${pct(f.rates.approveRefuse)})</td></tr>
<tr><th>baseline refuses</th><td>${f.refuseApprove} (${pct(f.rates.refuseApprove)})</td><td>${f.refuseRefuse}</td></tr></table>
<h2>Probability deltas (candidate − baseline)</h2>
<p>mean ${num(report.delta.mean, 5)}, mean |Δp| ${num(report.delta.meanAbs, 5)}, p95 |Δp| ${num(report.delta.p95Abs, 4)}, p99 |Δp| ${num(report.delta.p99Abs, 4)}, max |Δp| ${report.delta.maxAbs.toPrecision(3)}</p>
${histogram(report)}
<h2>Approval rate</h2>
<p>${pct(report.approval.baseline)} → ${pct(report.approval.candidate)}</p>
<table><tr><th>segment</th><th>value</th><th>requests</th><th>baseline</th><th>candidate</th><th>change [95 % CI]</th><th>flips</th></tr>
${rows(report.segments.map((s) => [s.field, s.value, s.count, pct(s.baselineApproval), pct(s.candidateApproval), `${pct(s.change)} [${pct(s.changeCi[0])}, ${pct(s.changeCi[1])}]`, `${s.flips} (${pct(s.flipRate)})`]))}</table>
<h2>Where flips concentrate</h2>
<table><tr><th>field</th><th>measure</th><th>score</th><th>detail</th></tr>
${rows(report.concentration.map((c) => [c.field, c.measure, c.score.toFixed(3), c.detail]))}</table>
<h2>Latency</h2>
<table><tr><th>who</th><th>p50 ms</th><th>p99 ms</th><th>mean ms</th><th>rows/s in replay</th><th>samples</th></tr>
${rows(report.latency.map((l) => [l.who, num(l.p50Ms), num(l.p99Ms), num(l.meanMs), l.rowsPerSecond === null ? '–' : Math.round(l.rowsPerSecond), l.samples]))}</table>
<h2>Realised performance</h2>
${
  o
    ? `<table><tr><th></th><th>AUC</th><th>cost per applicant</th></tr>${rows([
        ['baseline', num(o.baseline.auc, 4), num(o.baseline.costPerApplicant, 4)],
        ['candidate', num(o.candidate.auc, 4), num(o.candidate.costPerApplicant, 4)],
      ])}</table><p>${o.labelled} outcomes (${o.defaults} defaults); costs: approved defaulter ${o.costs.falseNegative}, refused good payer ${o.costs.falsePositive}.</p>`
    : `<p>${report.labelsStored === 0 ? 'No outcomes are stored yet.' : 'No outcome is known for this period.'}</p>`
}
${
  report.arms.length
    ? `<h2>Canary arms</h2><table><tr><th>arm</th><th>requests</th><th>approval</th><th>mean p</th><th>degraded</th><th>p99 inference ms</th></tr>${rows(
        report.arms.map((a) => [
          a.arm,
          a.requests,
          pct(a.approval),
          a.meanProbability.toFixed(4),
          pct(a.degradedRate),
          num(a.p99InferenceMs),
        ]),
      )}</table>`
    : ''
}
</body></html>
`;
}
