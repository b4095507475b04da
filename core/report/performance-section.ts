/** The report's performance section: realised and estimated ROC AUC per window, coverage, cost and fairness. */
import type { PerformanceAnalysis } from '../analysis/performance/index.ts';
import { escapeHtml as h, formatPercent } from './escape.ts';
import { lineChart } from './line-chart.ts';

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(3));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function performanceSection(performance: PerformanceAnalysis | null | undefined): string {
  if (!performance || performance.windows.length === 0) {
    return '<p>No outcomes or scored answers of the champion in this period.</p>';
  }
  const a = performance;
  const chart = lineChart({
    title: 'ROC AUC per window: realised (outcomes known) and estimated (CBPE)',
    times: a.windows.map((w) => w.start),
    series: [
      { name: 'realised', values: a.windows.map((w) => w.realised?.rocAuc ?? Number.NaN) },
      { name: 'estimated', values: a.windows.map((w) => w.estimated?.rocAuc ?? Number.NaN) },
    ],
    ...(a.baseline ? { threshold: a.baseline.rocAuc } : {}),
  });
  const rows = a.windows
    .map(
      (w) =>
        `<tr><td>${day(w.start)}</td><td>${w.count}</td><td>${formatPercent(w.coverage ?? 0)}</td><td>${f3(w.realised?.rocAuc)}</td><td>${f3(w.estimated?.rocAuc)} [${f3(w.estimated?.rocAucLower)}, ${f3(w.estimated?.rocAucUpper)}]</td><td>${f3(w.realised?.brier)}</td><td>${f3(w.realised?.ece)}</td><td>${f3(w.realised?.atThreshold.costPerApplicant)}</td></tr>`,
    )
    .join('');
  const groups = a.segments
    .flatMap((s) =>
      s.groups.map(
        (g) =>
          `<tr><td>${h(s.segment)}</td><td>${h(g.group)}</td><td>${g.count}</td><td>${formatPercent(g.approvalRate ?? 0)}</td><td>${g.approvalRatio === null ? '–' : g.approvalRatio.toFixed(2)}${g.flagged ? ' (below 0.8)' : ''}</td><td>${f3(g.realisedRocAuc)}</td></tr>`,
      ),
    )
    .join('');
  const v = a.validation;
  return `<p>Validation ROC AUC ${f3(v?.rocAuc)}${v ? ` (${h(v.model)})` : ''}; baseline ${f3(a.baseline?.rocAuc)} (${h(a.baseline?.source ?? 'none')}); realised over the period ${f3(a.overall.realised?.rocAuc)} on ${a.overall.labelled} outcomes (coverage ${formatPercent(a.overall.coverage ?? 0)}); estimated ${f3(a.overall.estimated?.rocAuc)}.</p>
${chart}
<table><thead><tr><th>Window (UTC day)</th><th>Scored</th><th>Outcomes</th><th>Realised AUC</th><th>Estimated AUC [band]</th><th>Brier</th><th>ECE</th><th>Cost / applicant</th></tr></thead><tbody>${rows}</tbody></table>
<h3>Fairness per segment</h3>
<table><thead><tr><th>Segment</th><th>Group</th><th>Applicants</th><th>Approval</th><th>Ratio to best</th><th>Realised AUC</th></tr></thead><tbody>${groups}</tbody></table>`;
}
