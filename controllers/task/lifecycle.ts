/**
 * The simulated container agent as a pure plan: from a task's status, its revision, the
 * simulation knobs and `now`, compute the next status and when to look again.
 *
 * lastStatus PROVISIONING → PENDING → ACTIVATING → RUNNING → DEACTIVATING → STOPPING →
 * DEPROVISIONING → STOPPED (ecs-semantics §1 Task). Every transition time is derived from the
 * timestamps already in status, so a reconcile is idempotent and safe after a crash.
 */
import type { SimKnobs } from '../../api/sim.js';
import type { ContainerStatus, TaskStatus } from '../../api/v1alpha1/status.js';
import type { TaskDefinitionSpec } from '../../api/v1alpha1/types.js';
import { aggregateHealth, containerHealthAt, type HealthStatus } from './health.js';
import { isoTime, parseTime } from '../shared/time.js';
import { eniFailureReason } from '../shared/eni.js';
import { containerStopTimes, planContainerStarts, SIGKILL_EXIT_CODE, taskStopMs } from './container-timing.js';

export const STOPPED_TASK_RETENTION_MS = 60 * 60 * 1000; // stopped tasks stay describable ≥ 1 h
/** DEPROVISIONING of an awsvpc task (ENI detach). */
export const ENI_DETACH_MS = 1000;

export const StopCode = {
  TaskFailedToStart: 'TaskFailedToStart',
  EssentialContainerExited: 'EssentialContainerExited',
  UserInitiated: 'UserInitiated',
  ServiceSchedulerInitiated: 'ServiceSchedulerInitiated',
  SpotInterruption: 'SpotInterruption',
  TerminationNotice: 'TerminationNotice',
} as const;

export interface TaskPlanInput {
  status: TaskStatus;
  taskDefinition: TaskDefinitionSpec;
  knobs: SimKnobs;
  /** Placed on an instance, or a Fargate task with its AZ chosen. */
  placed: boolean;
  /** Load balancer target deregistration delay while DEACTIVATING (0 without a load balancer). */
  deregistrationDelayMs?: number;
  /** Time to register targets while ACTIVATING (0 without a load balancer). */
  registrationDelayMs?: number;
  now: number;
  retentionMs?: number;
}

export interface TaskPlan {
  status: TaskStatus;
  requeueAfterMs?: number;
  /** Retention is over: remove the object. */
  remove?: boolean;
}

const iso = (ms: number) => isoTime(ms);
const ms = (s: string | undefined) => (s ? parseTime(s) : NaN);

export function initialContainers(td: TaskDefinitionSpec): ContainerStatus[] {
  return (td.containerDefinitions ?? []).map((c) => ({
    name: c.name,
    image: c.image,
    lastStatus: 'PENDING',
    essential: c.essential !== false,
    healthStatus: 'UNKNOWN',
  }));
}

export function planTask(input: TaskPlanInput): TaskPlan {
  const { now, knobs } = input;
  const s: TaskStatus = { ...input.status, containers: (input.status.containers ?? initialContainers(input.taskDefinition)).map((c) => ({ ...c })) };
  s.lastStatus ??= 'PROVISIONING';
  s.desiredStatus ??= 'RUNNING';
  s.createdAt ??= iso(now);

  if (s.lastStatus === 'STOPPED') {
    const until = ms(s.stoppedAt) + (input.retentionMs ?? STOPPED_TASK_RETENTION_MS);
    return now >= until ? { status: s, remove: true } : { status: s, requeueAfterMs: until - now };
  }
  if (s.desiredStatus === 'STOPPED') return planStopping(s, input);

  if (s.lastStatus === 'PROVISIONING') {
    if (!input.placed) return { status: s }; // waits for capacity; placement wakes it
    const failedEni = s.attachments?.find((a) => a.type === 'ElasticNetworkInterface' && a.status === 'FAILED');
    if (failedEni) {
      // EC2 could not create the task's interface: the task never starts.
      const reason = eniFailureReason(failedEni.details?.find((d) => d.name === 'subnetId')?.value ?? '');
      Object.assign(s, { desiredStatus: 'STOPPED', stopCode: StopCode.TaskFailedToStart, stoppedReason: reason, stoppingAt: iso(now) });
      for (const c of s.containers!) c.lastStatus = 'STOPPED';
      return planStopping(s, input);
    }
    s.lastStatus = 'PENDING';
    s.pullStartedAt = iso(now);
  }
  if (s.lastStatus === 'PENDING') {
    const ready = ms(s.pullStartedAt) + knobs.startDelayMs;
    if (now < ready) return { status: s, requeueAfterMs: ready - now };
    s.pullStoppedAt = iso(ready);
    if (knobs.failStart !== undefined) {
      // Never reached RUNNING (stage 1 of the circuit breaker counts these).
      s.desiredStatus = 'STOPPED';
      s.stopCode = StopCode.TaskFailedToStart;
      s.stoppedReason = knobs.failStart;
      s.stoppingAt = iso(now);
      for (const c of s.containers!) {
        c.lastStatus = 'STOPPED';
        c.reason = knobs.failStart;
      }
      return planStopping(s, input);
    }
    // Containers start in dependsOn order (container-timing.ts): the task is PENDING until all did.
    const starts = planContainerStarts(input.taskDefinition, ready, (c) => knobs.containers[c]?.health ?? knobs.health);
    if (!starts.ok) {
      if (now < starts.failedAt) return { status: s, requeueAfterMs: starts.failedAt - now };
      s.desiredStatus = 'STOPPED';
      s.stopCode = StopCode.TaskFailedToStart;
      s.stoppedReason = starts.reason;
      s.stoppingAt = iso(starts.failedAt);
      for (const c of s.containers!) {
        c.lastStatus = 'STOPPED';
        c.reason = starts.reason;
      }
      return planStopping(s, input);
    }
    if (now < starts.allStartedAt) return { status: s, requeueAfterMs: starts.allStartedAt - now };
    s.lastStatus = 'ACTIVATING';
  }
  if (s.lastStatus === 'ACTIVATING') {
    const starts = planContainerStarts(input.taskDefinition, ms(s.pullStoppedAt), (c) => knobs.containers[c]?.health ?? knobs.health);
    const ready = (starts.ok ? starts.allStartedAt : ms(s.pullStoppedAt)) + (input.registrationDelayMs ?? 0);
    if (now < ready) return { status: s, requeueAfterMs: ready - now };
    s.lastStatus = 'RUNNING';
    s.startedAt = iso(ready);
    for (const c of s.containers!) {
      if (starts.ok && starts.exited.has(c.name)) {
        c.lastStatus = 'STOPPED'; // an init container (COMPLETE/SUCCESS dependency) ran to completion
        c.exitCode = 0;
      } else {
        c.lastStatus = 'RUNNING';
      }
    }
  }
  return planRunning(s, input);
}

/** When each container exits on its own: the task-wide knob is the first essential container's. */
function exitsOf(s: TaskStatus, knobs: SimKnobs): Array<{ container: ContainerStatus; afterMs: number; exitCode: number }> {
  const essential = s.containers!.find((c) => c.essential !== false);
  const out: Array<{ container: ContainerStatus; afterMs: number; exitCode: number }> = [];
  for (const c of s.containers!) {
    const own = knobs.containers[c.name];
    const afterMs = own?.exitAfterMs ?? (c === essential ? knobs.exitAfterMs : undefined);
    if (afterMs !== undefined) out.push({ container: c, afterMs, exitCode: own?.exitCode ?? knobs.exitCode });
  }
  return out.sort((a, b) => a.afterMs - b.afterMs);
}

function planRunning(s: TaskStatus, input: TaskPlanInput): TaskPlan {
  const { now, knobs, taskDefinition } = input;
  const startedAt = ms(s.startedAt);
  let next = Infinity;
  for (const exit of exitsOf(s, knobs)) {
    const at = startedAt + exit.afterMs;
    if (now < at) {
      next = Math.min(next, at);
      continue;
    }
    if (exit.container.essential === false) {
      // A non-essential container exits alone; the task goes on (ECS: essential containers only stop the task).
      if (exit.container.lastStatus !== 'STOPPED') Object.assign(exit.container, { lastStatus: 'STOPPED', exitCode: exit.exitCode });
      continue;
    }
    for (const c of s.containers!) {
      c.lastStatus = 'STOPPED';
      if (c === exit.container) c.exitCode = exit.exitCode;
    }
    s.desiredStatus = 'STOPPED';
    s.stopCode = StopCode.EssentialContainerExited;
    s.stoppedReason = 'Essential container in task exited';
    s.stoppingAt = iso(at);
    return planStopping(s, input);
  }
  const essentialHealth: HealthStatus[] = [];
  for (const c of s.containers!) {
    if (c.lastStatus === 'STOPPED') continue;
    const def = taskDefinition.containerDefinitions?.find((d) => d.name === c.name);
    const h = containerHealthAt(def?.healthCheck, knobs.containers[c.name]?.health ?? knobs.health, startedAt, now);
    c.healthStatus = h.status;
    if (h.nextChangeAt !== undefined) next = Math.min(next, h.nextChangeAt);
    if (c.essential !== false) essentialHealth.push(h.status);
  }
  s.healthStatus = aggregateHealth(essentialHealth);
  return Number.isFinite(next) ? { status: s, requeueAfterMs: next - now } : { status: s };
}

/**
 * desiredStatus STOPPED: DEACTIVATING (target deregistration) → STOPPING (SIGTERM, containers
 * exit) → DEPROVISIONING (ENI detach) → STOPPED. Tasks that never ran skip to STOPPED.
 */
function planStopping(s: TaskStatus, input: TaskPlanInput): TaskPlan {
  const { now } = input;
  s.stoppingAt ??= iso(now);
  const t0 = ms(s.stoppingAt);
  const neverRan = !s.startedAt;
  const deactivateUntil = neverRan ? t0 : t0 + (input.deregistrationDelayMs ?? 0);
  // SIGTERM; a container still running after its stopTimeout is killed (container-timing.ts).
  const stopUntil = neverRan ? deactivateUntil : deactivateUntil + taskStopMs(input.taskDefinition, input.knobs.stopDelayMs);
  if (now < deactivateUntil) {
    s.lastStatus = 'DEACTIVATING';
    return { status: s, requeueAfterMs: deactivateUntil - now };
  }
  if (now < stopUntil) {
    s.lastStatus = 'STOPPING';
    return { status: s, requeueAfterMs: stopUntil - now };
  }
  const stopTimes = containerStopTimes(input.taskDefinition, input.knobs.stopDelayMs);
  for (const c of s.containers!) {
    if (c.lastStatus !== 'STOPPED') {
      c.lastStatus = 'STOPPED';
      c.exitCode ??= neverRan ? undefined : stopTimes.get(c.name)?.killed ? SIGKILL_EXIT_CODE : 0;
    }
    if (c.exitCode === undefined) delete c.exitCode;
  }
  s.executionStoppedAt ??= iso(stopUntil);
  // awsvpc tasks detach their ENI after the containers stopped.
  const detachUntil = input.taskDefinition.networkMode === 'awsvpc' ? stopUntil + ENI_DETACH_MS : stopUntil;
  if (now < detachUntil) {
    s.lastStatus = 'DEPROVISIONING';
    return { status: s, requeueAfterMs: detachUntil - now };
  }
  s.lastStatus = 'STOPPED';
  s.stoppedAt ??= iso(detachUntil);
  const until = ms(s.stoppedAt) + (input.retentionMs ?? STOPPED_TASK_RETENTION_MS);
  return { status: s, requeueAfterMs: Math.max(0, until - now) };
}
