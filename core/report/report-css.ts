/** The report's only style sheet, inlined into the file; the print rules keep sections and charts whole. */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a202c; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #e2e8f0; padding-bottom: 4px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
header p, .muted { color: #4a5568; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 12px; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 3px 6px; text-align: left; vertical-align: top; }
thead th { background: #f7fafc; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bad { color: #c53030; font-weight: 600; } .good { color: #2f855a; } .warn { color: #b7791f; }
tr.flag th { color: #c53030; }
.verdict { border-left: 6px solid #2f855a; background: #f0fff4; padding: 4px 14px; margin-top: 16px; color: #1a202c; }
.verdict.bad { border-color: #c53030; background: #fff5f5; font-weight: normal; }
.verdict.warn { border-color: #b7791f; background: #fffff0; }
.verdict h2 { border: 0; margin-top: 8px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 8px; align-items: start; }
figure { margin: 0; border: 1px solid #e2e8f0; border-radius: 4px; padding: 4px; }
figure.drifted { border-color: #c53030; }
svg.chart { display: block; width: 100%; height: auto; font-family: inherit; overflow: hidden; }
svg.wide { margin: 6px 0; }
svg.chart .tick, svg.chart .bin { fill: #4a5568; }
td.sev { font-weight: 600; text-transform: uppercase; font-size: 11px; }
td.sev.critical { color: #fff; background: #c53030; } td.sev.warning { background: #fefcbf; } td.sev.info { color: #4a5568; }
table.kv th { width: 220px; }
footer { margin-top: 24px; color: #4a5568; font-size: 12px; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5px; }
  section, figure, table, svg { break-inside: avoid; page-break-inside: avoid; }
  .grid { grid-template-columns: repeat(3, 1fr); }
  h2 { break-after: avoid; page-break-after: avoid; }
  .verdict, td.sev.critical { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
`;
