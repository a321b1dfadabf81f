/**
 * `simulate --output table`: a readable timeline. By default a sample line is printed only when
 * something in it changed since the service's (or the fleet's) previous line; `--every` prints
 * every sample. Each deployment shows a progress bar of its running tasks against its desired
 * count (`web:2 ▇▇▇▇░░ 4/6`). The run's cost follows the final table.
 */
import type { SimulationResult } from '../simulation/runner.js';
import type { ServiceSample } from '../simulation/samples.js';
import { renderCost } from './compare-output.js';
import { renderTable } from './table.js';

const fmtT = (t: number) => {
  const m = Math.floor(t / 60);
  const s = t - m * 60;
  return `${String(m).padStart(3)}m${String(Math.round(s * 1000) / 1000).padStart(2, '0')}s`;
};

/** Widest bar; larger counts are scaled down to it. */
export const BAR_CELLS = 12;

/** `▇▇▇▇░░`: one cell per task up to BAR_CELLS (scaled beyond), filled for running ones. */
export function progressBar(running: number, desired: number): string {
  const total = Math.max(running, desired);
  if (total <= 0) return '';
  const cells = Math.min(total, BAR_CELLS);
  const filled = Math.min(cells, Math.round((running / total) * cells));
  return '▇'.repeat(filled) + '░'.repeat(cells - filled);
}

const shortTd = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

export function deploymentText(d: ServiceSample['deployments'][number]): string {
  const bar = progressBar(d.runningCount, d.desiredCount);
  return `${d.status} ${shortTd(d.taskDefinition)} ${bar ? bar + ' ' : ''}${d.runningCount}/${d.desiredCount}${d.pendingCount ? ` +${d.pendingCount}p` : ''} ${d.rolloutState}${d.failedTasks ? ` failed=${d.failedTasks}` : ''}`;
}

export function renderTimeline(r: SimulationResult, opts: { every?: boolean } = {}): string {
  const lines: string[] = [];
  const previous = new Map<string, string>();
  /** Print `text` at `t` unless it repeats the previous line for `key` (changes-only mode). */
  const emit = (t: number, key: string, text: string) => {
    if (!opts.every && previous.get(key) === text) return;
    previous.set(key, text);
    lines.push(`${fmtT(t)}  ${text}`);
  };
  const event = (ev: SimulationResult['events'][number]) => lines.push(`${fmtT(ev.t)}  event  ${ev.kind} ${ev.cluster ? ev.cluster + '/' : ''}${ev.name}: ${ev.message}`);
  let e = 0;
  for (const sample of r.samples) {
    while (e < r.events.length && r.events[e].t <= sample.t) event(r.events[e++]);
    for (const s of sample.services) {
      const key = `service ${s.cluster}/${s.name}`;
      emit(sample.t, key, `${key}  desired=${s.desiredCount} running=${s.runningCount} pending=${s.pendingCount}  [${s.deployments.map(deploymentText).join('; ')}]`);
    }
    const inst = sample.containerInstances;
    if (inst.length) {
      emit(sample.t, 'instances', `instances ${inst.map((i) => `${i.name}:${i.status === 'ACTIVE' ? '' : i.status + ':'}${i.agentConnected ? '' : 'disconnected:'}${i.runningTasksCount}`).join(' ')}`);
    }
  }
  while (e < r.events.length) event(r.events[e++]);
  const last = r.samples.at(-1);
  if (last) {
    lines.push('', `final (t=${last.t}s):`);
    lines.push(
      renderTable(
        ['SERVICE', 'DESIRED', 'RUNNING', 'PENDING', 'DEPLOYMENTS'],
        last.services.map((s) => [`${s.cluster}/${s.name}`, String(s.desiredCount), String(s.runningCount), String(s.pendingCount), String(s.deployments.length)]),
      ),
    );
  }
  if (r.summary) lines.push('', renderCost(r.summary).trimEnd());
  return lines.join('\n') + '\n';
}
