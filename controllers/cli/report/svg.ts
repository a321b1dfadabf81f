/** `simulate --output svg`: the report's main chart (services, deployments, events, instances) as one static SVG. */
import { reportDomain } from './html.js';
import { renderSvg } from './render-svg.js';
import { mainChartSpec } from './specs.js';
import type { ReportOptions, ReportRun } from './types.js';

export async function renderMainChartSvg(run: ReportRun, opts: ReportOptions = {}): Promise<string> {
  return renderSvg(mainChartSpec(run.result, reportDomain([run]), opts.title ?? run.name));
}
