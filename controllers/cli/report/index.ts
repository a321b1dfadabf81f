/**
 * Charts of simulation runs: `renderHtmlReport(runs)` (one self-contained HTML page, several
 * runs aligned on one time axis), `renderMainChartSvg(run)` and `renderCsv(result)`. Vega and
 * Vega-Lite load only when a chart is drawn (import this module dynamically from the CLI).
 */
export type { ReportOptions, ReportRun } from './types.js';
export { renderHtmlReport, reportDomain } from './html.js';
export { renderMainChartSvg } from './svg.js';
export { renderCsv } from './csv.js';
