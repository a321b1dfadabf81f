/** `simulate --output table`: a readable timeline of samples and events. */
import type { SimulationResult } from '../simulation/runner.js';
import { busEventLine } from '../events/summary.js';
import { renderTable } from './table.js';

const fmtT = (t: number) => {
  const m = Math.floor(t / 60);
  const s = t - m * 60;
  return `${String(m).padStart(3)}m${String(Math.round(s * 1000) / 1000).padStart(2, '0')}s`;
};

export function renderTimeline(r: SimulationResult): string {
  const lines: string[] = [];
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
      lines.push(`${fmtT(sample.t)}  ${inv.kind} ${inv.name}  invocations=${inv.invocations} tasks=${inv.tasksStarted} failures=${inv.failedInvocations}`);
    }
    for (const s of sample.services) {
      const deps = s.deployments.map((d) => `${d.status} ${d.taskDefinition.slice(d.taskDefinition.lastIndexOf('/') + 1)} ${d.runningCount}/${d.desiredCount}${d.pendingCount ? ` +${d.pendingCount}p` : ''} ${d.rolloutState}${d.failedTasks ? ` failed=${d.failedTasks}` : ''}`);
      const shift = s.trafficShift ? `  ${s.trafficShift.lifecycleStage} traffic ${s.trafficShift.productionWeights.map((w) => `${w.weight}%`).join('/')}` : '';
      lines.push(`${fmtT(sample.t)}  service ${s.cluster}/${s.name}${s.status && s.status !== 'ACTIVE' ? ` ${s.status}` : ''}  desired=${s.desiredCount} running=${s.runningCount} pending=${s.pendingCount}  [${deps.join('; ')}]${shift}`);
    }
    for (const q of sample.queues ?? []) {
      lines.push(`${fmtT(sample.t)}  queue ${q.name}  visible=${q.visible} inflight=${q.inFlight}${q.delayed ? ` delayed=${q.delayed}` : ''} oldest=${q.ageOfOldest}s consumers=${q.consumers}`);
    }
    // Alarm states only when one changed (their names are long).
    const alarmText = (sample.alarms ?? []).map((a) => `${a.name}=${a.state}`).join(' ');
    if (alarmText && alarmText !== lastAlarms) lines.push(`${fmtT(sample.t)}  alarms ${alarmText}`);
    lastAlarms = alarmText;
    const inst = sample.containerInstances;
    if (inst.length) {
      lines.push(`${fmtT(sample.t)}  instances ${inst.map((i) => `${i.name}:${i.status === 'ACTIVE' ? '' : i.status + ':'}${i.agentConnected ? '' : 'disconnected:'}${i.runningTasksCount}`).join(' ')}`);
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
  return lines.join('\n') + '\n';
}
