/**
 * Simulation results as the flat rows the charts plot (pure, so table-tested). Time is in
 * minutes since the start: the unit scenario steps are usually written in.
 */
import type { SimulationResult } from '../../simulation/runner.js';
import type { TaskTimeline } from '../../simulation/task-timelines.js';

export const minutes = (seconds: number) => Math.round((seconds / 60) * 10_000) / 10_000;

export const SERVICE_SERIES = ['desired', 'running', 'pending', 'healthy'] as const;

export interface CountRow {
  service: string;
  min: number;
  series: string;
  value: number;
}

/** Desired, running, pending and healthy per service per sample. */
export function serviceCounts(r: SimulationResult): CountRow[] {
  const rows: CountRow[] = [];
  for (const s of r.samples) {
    for (const svc of s.services) {
      const service = `${svc.cluster}/${svc.name}`;
      const min = minutes(s.t);
      rows.push({ service, min, series: 'desired', value: svc.desiredCount });
      rows.push({ service, min, series: 'running', value: svc.runningCount });
      rows.push({ service, min, series: 'pending', value: svc.pendingCount });
      rows.push({ service, min, series: 'healthy', value: svc.healthyCount ?? 0 });
    }
  }
  return rows;
}

export function serviceNames(r: SimulationResult): string[] {
  const names = new Set<string>();
  for (const s of r.samples) for (const svc of s.services) names.add(`${svc.cluster}/${svc.name}`);
  return [...names].sort();
}

export interface DeploymentBand {
  service: string;
  start: number;
  end: number;
  deploymentId: string;
  taskDefinition: string;
  rolloutState: string;
  label: string;
}

/**
 * The PRIMARY deployment of each service over time, one band per stretch with the same
 * deployment and rolloutState: from the sample where it began to the sample where it changed
 * (or the end of the run).
 */
export function deploymentBands(r: SimulationResult): DeploymentBand[] {
  const bands: DeploymentBand[] = [];
  const open = new Map<string, DeploymentBand>();
  const endMin = minutes(r.untilSeconds ?? r.samples.at(-1)?.t ?? 0);
  for (const s of r.samples) {
    const seen = new Set<string>();
    for (const svc of s.services) {
      const service = `${svc.cluster}/${svc.name}`;
      seen.add(service);
      const primary = svc.deployments.find((d) => d.status === 'PRIMARY');
      const cur = open.get(service);
      if (cur && primary && cur.deploymentId === primary.id && cur.rolloutState === primary.rolloutState) continue;
      if (cur) {
        cur.end = minutes(s.t);
        open.delete(service);
      }
      if (primary) {
        const taskDefinition = primary.taskDefinition.slice(primary.taskDefinition.lastIndexOf('/') + 1);
        const band = { service, start: minutes(s.t), end: endMin, deploymentId: primary.id, taskDefinition, rolloutState: primary.rolloutState, label: `${taskDefinition} ${primary.rolloutState}` };
        bands.push(band);
        open.set(service, band);
      }
    }
    for (const [service, band] of open) {
      if (!seen.has(service)) {
        band.end = minutes(s.t);
        open.delete(service);
      }
    }
  }
  return bands;
}

export interface EventMark {
  min: number;
  kind: string;
  name: string;
  /** `cluster/name` of the service the event belongs to (Service events only). */
  service?: string;
  /** `deployment failed` for the circuit breaker's events, else `event`. */
  category: string;
  text: string;
}

/**
 * ECS's own wording of a circuit-breaker failure, "(service web) (deployment ecs-svc/…) deployment
 * failed: …" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
 * The failed deployment is replaced in the same moment, so no sample shows it FAILED: the chart
 * marks the moment instead.
 */
const DEPLOYMENT_FAILED = /\(deployment [^)]+\) deployment failed/;

const SCALING_KINDS = new Set(['ScalableTarget', 'ScalingPolicy', 'ScheduledAction', 'CapacityProvider', 'AutoScalingGroup']);

/** Service events, per service. */
export function serviceEvents(r: SimulationResult): EventMark[] {
  return r.events
    .filter((e) => e.kind === 'Service')
    .map((e) => ({
      min: minutes(e.t),
      kind: e.kind,
      name: e.name,
      service: `${e.cluster}/${e.name}`,
      category: DEPLOYMENT_FAILED.test(e.message) ? 'deployment failed' : 'event',
      text: `${fmtClock(e.t)} ${e.message}`,
    }));
}

/** Scaling activities: Application Auto Scaling, capacity provider managed scaling, Auto Scaling groups. */
export function scalingActivities(r: SimulationResult): EventMark[] {
  return r.events
    .filter((e) => SCALING_KINDS.has(e.kind))
    .map((e) => ({ min: minutes(e.t), kind: e.kind, name: e.name, category: 'scaling activity', text: `${fmtClock(e.t)} ${e.kind} ${e.name}: ${e.message}` }));
}

export interface SeriesRow {
  min: number;
  series: string;
  value: number;
}

/** Container instances by state, and the Auto Scaling group size managed scaling asks for. */
export function capacitySeries(r: SimulationResult): SeriesRow[] {
  const rows: SeriesRow[] = [];
  const anyInstances = r.samples.some((s) => s.containerInstances.length > 0);
  for (const s of r.samples) {
    const min = minutes(s.t);
    if (anyInstances) {
      const byState = { ACTIVE: 0, DRAINING: 0, other: 0 };
      for (const i of s.containerInstances) {
        if (i.status === 'ACTIVE' && i.agentConnected) byState.ACTIVE++;
        else if (i.status === 'DRAINING') byState.DRAINING++;
        else byState.other++;
      }
      rows.push({ min, series: 'instances ACTIVE', value: byState.ACTIVE });
      rows.push({ min, series: 'instances DRAINING', value: byState.DRAINING });
      if (r.samples.some((x) => x.containerInstances.some((i) => !(i.status === 'ACTIVE' && i.agentConnected) && i.status !== 'DRAINING'))) {
        rows.push({ min, series: 'instances inactive or disconnected', value: byState.other });
      }
    }
    for (const cp of s.capacityProviders ?? []) {
      if (cp.desiredCapacity !== null) rows.push({ min, series: `${cp.name} group desired capacity`, value: cp.desiredCapacity });
    }
  }
  return rows;
}

/** Utilisation per service (where there is load) and CapacityProviderReservation per provider, in %. */
export function percentSeries(r: SimulationResult): SeriesRow[] {
  const loaded = new Set<string>();
  for (const s of r.samples) {
    for (const svc of s.services) {
      if (svc.cpuUtilization) loaded.add(`${svc.cluster}/${svc.name} CPU`);
      if (svc.memoryUtilization) loaded.add(`${svc.cluster}/${svc.name} memory`);
    }
  }
  const rows: SeriesRow[] = [];
  for (const s of r.samples) {
    const min = minutes(s.t);
    for (const svc of s.services) {
      const name = `${svc.cluster}/${svc.name}`;
      if (loaded.has(`${name} CPU`)) rows.push({ min, series: `${name} CPU utilisation`, value: svc.cpuUtilization });
      if (loaded.has(`${name} memory`)) rows.push({ min, series: `${name} memory utilisation`, value: svc.memoryUtilization });
    }
    for (const cp of s.capacityProviders ?? []) {
      if (cp.reservation !== null) rows.push({ min, series: `${cp.name} CapacityProviderReservation`, value: cp.reservation });
    }
  }
  return rows;
}

export const TASK_PHASES = ['PROVISIONING', 'PENDING', 'RUNNING', 'STOPPING'] as const;

export interface GanttSegment {
  /** Row label: the instance (or launch type) and the task id. */
  row: string;
  task: string;
  phase: (typeof TASK_PHASES)[number];
  start: number;
  end: number;
  deployment: string;
  text: string;
}

/**
 * Per task: PROVISIONING (created, waiting for capacity) → PENDING (pulling) → RUNNING →
 * STOPPING (told to stop) → STOPPED (the bar ends). Rows are grouped by instance.
 */
export function ganttSegments(r: SimulationResult): GanttSegment[] {
  const endS = r.untilSeconds ?? r.samples.at(-1)?.t ?? 0;
  const where = (t: TaskTimeline) => t.containerInstance ?? t.capacityProvider ?? t.launchType ?? 'unplaced';
  const tasks = [...(r.tasks ?? [])].sort((a, b) => (where(a) < where(b) ? -1 : where(a) > where(b) ? 1 : a.createdAt - b.createdAt));
  const segments: GanttSegment[] = [];
  for (const t of tasks) {
    const row = `${where(t)} · ${t.name.slice(0, 8)}`;
    const deployment = t.deploymentId ? `${t.taskDefinition} (${t.deploymentId.slice(-6)})` : t.taskDefinition;
    const stop = t.stoppedAt ?? endS;
    const cuts: Array<[GanttSegment['phase'], number | undefined, number | undefined]> = [
      ['PROVISIONING', t.createdAt, t.pullStartedAt ?? t.startedAt ?? t.stoppingAt ?? stop],
      ['PENDING', t.pullStartedAt, t.startedAt ?? t.stoppingAt ?? stop],
      ['RUNNING', t.startedAt, t.stoppingAt ?? stop],
      ['STOPPING', t.stoppingAt, stop],
    ];
    for (const [phase, from, to] of cuts) {
      if (from === undefined || to === undefined || to <= from) continue;
      const reason = phase === 'STOPPING' && t.stoppedReason ? ` — ${t.stopCode ?? ''} ${t.stoppedReason}` : '';
      segments.push({
        row,
        task: t.name,
        phase,
        start: minutes(from),
        end: minutes(to),
        deployment,
        text: `task ${t.name} (${deployment}) on ${where(t)}: ${phase} ${fmtClock(from)}–${fmtClock(to)}${reason}`,
      });
    }
  }
  return segments;
}

/** `12m05s`. */
export function fmtClock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round((seconds - m * 60) * 1000) / 1000;
  return `${m}m${String(s).padStart(2, '0')}s`;
}
