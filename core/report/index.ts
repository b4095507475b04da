export { escapeHtml } from './escape.ts';
export { renderReportHtml } from './render-html.ts';
export {
  modelInfo,
  renderReportJson,
  severityCounts,
  REPORT_FORMAT_VERSION,
  type ModelInfo,
  type Report,
} from './report.ts';
