/**
 * `simulate --output html` (and `compare --output html`): ONE self-contained HTML file. The
 * charts are pre-rendered to SVG in Node and inlined, so the page needs no script and no network
 * (its Content-Security-Policy forbids both); hovering an event, scaling activity or Gantt bar
 * shows its text through the SVG `<title>`. Several runs (variants) are drawn one under the
 * other on the same time axis.
 */
import { fmtClock } from './data.js';
import { renderSvg } from './render-svg.js';
import { ganttSpec, mainChartSpec, scalingChartSpec, type VlSpec } from './specs.js';
import type { ReportOptions, ReportRun } from './types.js';

export const DEFAULT_GANTT_MAX_TASKS = 150;

/** The time axis every chart of the report shares: 0 to the longest run, in minutes. */
export function reportDomain(runs: readonly ReportRun[]): [number, number] {
  const seconds = Math.max(60, ...runs.map((r) => r.result.untilSeconds ?? r.result.samples.at(-1)?.t ?? 0));
  return [0, Math.round((seconds / 60) * 10_000) / 10_000];
}

export async function renderHtmlReport(runs: readonly ReportRun[], opts: ReportOptions = {}): Promise<string> {
  if (!runs.length) throw new Error('renderHtmlReport: at least one run is needed');
  const domain = reportDomain(runs);
  const title = opts.title ?? 'ecsplane simulation';
  const ganttMax = opts.ganttMaxTasks ?? DEFAULT_GANTT_MAX_TASKS;
  const sections: Array<{ id: string; heading: string; figures: string[] }> = [
    { id: 'services', heading: 'Services and instances', figures: [] },
    { id: 'scaling', heading: 'Utilisation and scaling', figures: [] },
    { id: 'tasks', heading: 'Tasks', figures: [] },
  ];
  for (const run of runs) {
    const r = run.result;
    sections[0].figures.push(await figure(run, 'services', mainChartSpec(r, domain)));
    const scaling = scalingChartSpec(r, domain);
    if (scaling) sections[1].figures.push(await figure(run, 'scaling', scaling));
    const tasks = r.tasks ?? [];
    if (tasks.length > ganttMax) {
      sections[2].figures.push(note(run, `${tasks.length} tasks: more than ${ganttMax}, no Gantt chart (it would be unreadable).`));
    } else {
      const gantt = ganttSpec(r, domain);
      sections[2].figures.push(gantt ? await figure(run, 'gantt', gantt) : note(run, 'no tasks'));
    }
  }
  const body = [
    `<h1>${esc(title)}</h1>`,
    summaryTable(runs),
    ...sections
      .filter((s) => s.figures.length)
      .map((s) => `<section id="${s.id}">\n<h2>${esc(s.heading)}</h2>\n${s.figures.join('\n')}\n</section>`),
    eventsSection(runs),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const STYLE = `
body { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 1100px; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
figure { margin: 0.8em 0 1.4em; } figcaption { font-weight: bold; margin-bottom: 0.3em; }
table { border-collapse: collapse; font-size: 0.85em; } td, th { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
td.num { text-align: right; } p.hint { color: #666; font-size: 0.85em; }
svg title { display: none; }
`;

async function figure(run: ReportRun, chart: string, spec: VlSpec): Promise<string> {
  return `<figure class="chart" data-run="${esc(run.name)}" data-chart="${chart}">\n<figcaption>${esc(run.name)}</figcaption>\n${await renderSvg(spec)}\n</figure>`;
}

function note(run: ReportRun, text: string): string {
  return `<figure class="chart-note" data-run="${esc(run.name)}"><figcaption>${esc(run.name)}</figcaption><p>${esc(text)}</p></figure>`;
}

function summaryTable(runs: readonly ReportRun[]): string {
  const rows = runs.map((run) => {
    const r = run.result;
    const tasks = r.tasks ?? [];
    const failed = tasks.filter((t) => t.stopCode === 'TaskFailedToStart' || t.stopCode === 'EssentialContainerExited').length;
    const last = r.samples.at(-1);
    const services = last?.services.map((s) => `${s.name} ${s.runningCount}/${s.desiredCount}`).join(', ') ?? '';
    const cells = [esc(run.name), fmtClock(r.untilSeconds ?? last?.t ?? 0), String(tasks.length), String(failed), String(r.events.length), esc(services)];
    return `<tr>${cells.map((c, i) => `<td${i >= 2 && i <= 4 ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`;
  });
  return `<table class="summary">
<tr><th>run</th><th>simulated</th><th>tasks started</th><th>tasks failed</th><th>events</th><th>services at the end (running/desired)</th></tr>
${rows.join('\n')}
</table>
<p class="hint">Hover a ▼ event, a scaling-activity marker or a task bar for its text. Shaded bands: each service's PRIMARY deployment and its rolloutState.</p>`;
}

function eventsSection(runs: readonly ReportRun[]): string {
  const parts = runs.map((run) => {
    const rows = run.result.events.map((e) => `<tr><td>${fmtClock(e.t)}</td><td>${esc(e.kind)}</td><td>${esc(e.cluster ? `${e.cluster}/${e.name}` : e.name)}</td><td>${esc(e.message)}</td></tr>`);
    return `<details data-run="${esc(run.name)}"><summary>${esc(run.name)}: ${rows.length} events</summary>
<table><tr><th>time</th><th>kind</th><th>name</th><th>message</th></tr>
${rows.join('\n')}
</table></details>`;
  });
  return `<section id="events">\n<h2>Events</h2>\n${parts.join('\n')}\n</section>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
