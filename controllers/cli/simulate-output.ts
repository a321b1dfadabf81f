/**
 * `simulate --output table`: a readable timeline. By default a sample line is printed only when
 * something in it changed since the service's (or the fleet's) previous line; `--every` prints
 * every sample. Each deployment shows a progress bar of its running tasks against its desired
 * count (`web:2 ▇▇▇▇░░ 4/6`). The run's cost follows the final table.
 */
import type { SimulationResult } from '../simulation/runner.js';
import { busEventLine } from '../events/summary.js';
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
  let e = 0;
  let lastAlarms = '';
  let b = 0;
  // Bus events matter where something listens: shown when the scenario has rules or schedules.
  const busEvents = r.samples.some((x) => x.rules || x.schedules) ? (r.busEvents ?? []) : [];
  // Recorder events and bus events in time order (recorder first at the same instant).
  const flushUntil = (t: number) => {
    for (;;) {
      const re = e < r.events.length && r.events[e].t <= t ? r.events[e] : undefined;
      const be = b < busEvents.length && busEvents[b].t <= t ? busEvents[b] : undefined;
      if (re && (!be || re.t <= be.t)) {
        e++;
        lines.push(`${fmtT(re.t)}  event  ${re.kind} ${re.cluster ? re.cluster + '/' : ''}${re.name}: ${re.message}`);
      } else if (be) {
        b++;
        lines.push(`${fmtT(be.t)}  bus    ${busEventLine(be.event)}`);
      } else return;
    }
  };
  for (const sample of r.samples) {
    flushUntil(sample.t);
    for (const inv of [...(sample.rules ?? []).map((x) => ({ ...x, kind: 'rule' })), ...(sample.schedules ?? []).map((x) => ({ ...x, kind: 'schedule' }))]) {
      emit(sample.t, `${inv.kind} ${inv.name}`, `${inv.kind} ${inv.name}  invocations=${inv.invocations} tasks=${inv.tasksStarted} failures=${inv.failedInvocations}`);
    }
    for (const s of sample.services) {
      const key = `service ${s.cluster}/${s.name}`;
      const shift = s.trafficShift ? `  ${s.trafficShift.lifecycleStage} traffic ${s.trafficShift.productionWeights.map((w) => `${w.weight}%`).join('/')}` : '';
      emit(sample.t, key, `${key}${s.status && s.status !== 'ACTIVE' ? ` ${s.status}` : ''}  desired=${s.desiredCount} running=${s.runningCount} pending=${s.pendingCount}  [${s.deployments.map(deploymentText).join('; ')}]${shift}`);
    }
    for (const q of sample.queues ?? []) {
      emit(sample.t, `queue ${q.name}`, `queue ${q.name}  visible=${q.visible} inflight=${q.inFlight}${q.delayed ? ` delayed=${q.delayed}` : ''} oldest=${q.ageOfOldest}s consumers=${q.consumers}`);
    }
    // Alarm states only when one changed (their names are long).
    const alarmText = (sample.alarms ?? []).map((a) => `${a.name}=${a.state}`).join(' ');
    if (alarmText && alarmText !== lastAlarms) lines.push(`${fmtT(sample.t)}  alarms ${alarmText}`);
    lastAlarms = alarmText;
    const inst = sample.containerInstances;
    if (inst.length) {
      emit(sample.t, 'instances', `instances ${inst.map((i) => `${i.name}:${i.status === 'ACTIVE' ? '' : i.status + ':'}${i.agentConnected ? '' : 'disconnected:'}${i.runningTasksCount}`).join(' ')}`);
    }
  }
  flushUntil(Infinity);
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
