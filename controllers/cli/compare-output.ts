/** `compare` and `simulate` figures as text: one column per variant, one row per figure. */
import type { RunSummary } from '../simulation/summary.js';
import { renderTable } from './table.js';

export interface NamedSummary {
  name: string;
  summary: RunSummary;
}

/** 95 → `1m35s`, 35 → `35s`, 3600 → `1h00m00s`. */
export function fmtDuration(s: number | undefined, missing = '—'): string {
  if (s === undefined) return missing;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s`;
  if (m) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

export const fmtMoney = (v: number, currency = 'USD') => `${currency === 'USD' ? '$' : currency + ' '}${v.toFixed(4)}`;
const fmtHours = (v: number) => v.toFixed(2);

type Row = [label: string, cell: (s: RunSummary) => string];

const ROWS: Row[] = [
  ['deployment duration', (s) => (s.cluster.unfinishedDeployments ? `unfinished (${s.cluster.unfinishedDeployments})` : fmtDuration(s.cluster.deploymentSeconds))],
  ['steady at (from start)', (s) => fmtDuration(s.cluster.steadyAt, 'never')],
  ['lowest healthy %', (s) => (s.cluster.lowestHealthyPercent === undefined ? '—' : `${s.cluster.lowestHealthyPercent}%`)],
  ['longest below minimumHealthy%', (s) => fmtDuration(s.cluster.longestBelowMinimumSeconds)],
  ['peak tasks', (s) => String(s.cluster.peakTasks)],
  ['peak capacity', (s) => `${s.cluster.peakInstances} instances, ${s.cluster.peakTaskVcpu} task vCPU`],
  ['failed tasks', (s) => String(s.cluster.failedTasks)],
  ['placement failures', (s) => String(s.cluster.placementFailures)],
  ['scaling activities', (s) => String(s.cluster.scalingActivities)],
  ['task-hours', (s) => fmtHours(s.cluster.taskHours)],
  ['instance-hours', (s) => fmtHours(s.cluster.instanceHours)],
  ['cost Fargate', (s) => fmtMoney(s.cluster.cost.fargate, s.pricing.currency)],
  ['cost Fargate Spot', (s) => fmtMoney(s.cluster.cost.fargateSpot, s.pricing.currency)],
  ['cost EC2 (used by tasks)', (s) => `${fmtMoney(s.cluster.cost.ec2, s.pricing.currency)} (${fmtMoney(s.cluster.cost.ec2UsedByTasks, s.pricing.currency)})`],
  ['cost total', (s) => fmtMoney(s.cluster.cost.total, s.pricing.currency)],
];

/** The comparison table, the cost of each service per variant, and any pricing warnings. */
export function renderComparison(runs: NamedSummary[], seed: number): string {
  const first = runs[0]?.summary;
  const header = ['', ...runs.map((r) => r.name)];
  const rows = ROWS.map(([label, cell]) => [label, ...runs.map((r) => cell(r.summary))]);
  const services = [...new Set(runs.flatMap((r) => r.summary.services.map((s) => s.service)))].sort();
  for (const svc of services) {
    rows.push([`cost ${svc}`, ...runs.map((r) => {
      const s = r.summary.services.find((x) => x.service === svc);
      return s ? fmtMoney(s.cost.total, r.summary.pricing.currency) : '—';
    })]);
  }
  const lines = [
    `${runs.length} variants, ${fmtDuration(first?.seconds)} each, seed ${seed}; prices ${first?.pricing.region} (${first?.pricing.date})`,
    '',
    renderTable(header, rows),
  ];
  const warnings = [...new Set(runs.flatMap((r) => r.summary.warnings.map((w) => `${r.name}: ${w}`)))];
  if (warnings.length) lines.push('', ...warnings.map((w) => `warning: ${w}`));
  return lines.join('\n') + '\n';
}

/** The cost block at the end of `simulate --output table`: per service and for the cluster. */
export function renderCost(s: RunSummary): string {
  const m = (v: number) => fmtMoney(v, s.pricing.currency);
  const rows = s.services.map((x) => [x.service, fmtHours(x.taskHours), m(x.cost.fargate), m(x.cost.fargateSpot), m(x.cost.ec2Share), m(x.cost.total)]);
  const c = s.cluster.cost;
  rows.push(['cluster', fmtHours(s.cluster.taskHours), m(c.fargate), m(c.fargateSpot), `${m(c.ec2)} (idle ${m(c.ec2Idle)})`, m(c.total)]);
  const lines = [
    `cost over ${fmtDuration(s.seconds)} (${s.pricing.region} prices of ${s.pricing.date}; EC2: ${fmtHours(s.cluster.instanceHours)} instance-hours, the tasks' share of each instance by reserved CPU and memory):`,
    renderTable(['SERVICE', 'TASK-HOURS', 'FARGATE', 'FARGATE SPOT', 'EC2', 'TOTAL'], rows),
  ];
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}
