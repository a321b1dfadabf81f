/**
 * `simulate --output svg`: the report's main chart as one static SVG: services (counts, deployments,
 * events), instances, and utilisation / reservation / scaling activities when the run has any.
 */
import { reportDomain } from './html.js';
import { renderSvg } from './render-svg.js';
import { mainChartSpec } from './specs.js';
import type { ReportOptions, ReportRun } from './types.js';

export async function renderMainChartSvg(run: ReportRun, opts: ReportOptions = {}): Promise<string> {
  return renderSvg(mainChartSpec(run.result, reportDomain([run]), { title: opts.title ?? run.name, withScaling: true }));
}
