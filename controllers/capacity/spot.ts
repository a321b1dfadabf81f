/**
 * FARGATE_SPOT interruptions (ecs-semantics §1 CapacityProvider: "Spot gives a 2-minute SIGTERM warning";
 * §1 Task: stopCode SpotInterruption, `Your Spot Task was interrupted.`).
 *
 * The notice (docs/scaling.md "Spot interruptions", a choice): the task gets desiredStatus STOPPED,
 * stopCode SpotInterruption and its stoppedReason at once — as ECS's task state change event shows — so
 * the service scheduler starts its replacement immediately. The task then runs out the notice: it is
 * DEACTIVATING (targets deregister, lastStatus leaves RUNNING) until two minutes minus its stop delay
 * (`sim.ecsplane.io/stop-delay`, SIGTERM → exit) have passed, then STOPPING, and STOPPED exactly two
 * minutes after the warning whatever its load balancer's deregistration delay.
 */
import { parseTaskDefinitionRef } from '../../api/arn.js';
import { knobsOfTask } from '../shared/knobs.js';
import type { TaskStatus } from '../../api/v1alpha1/status.js';
import type { ResourceStore } from '../../store/store.js';
import { getRevision } from '../../store/taskdefs.js';
import type { TaskObject } from '../shared/instances.js';
import { iso } from '../shared/status.js';

export const SPOT_WARNING_MS = 120_000;
export const SPOT_STOP_CODE = 'SpotInterruption';
export const SPOT_REASON = 'Your Spot Task was interrupted.';

/** Only tasks running on FARGATE_SPOT capacity can be Spot-interrupted. */
export function isSpotTask(t: TaskObject): boolean {
  return t.status?.capacityProviderName === 'FARGATE_SPOT';
}

/** The status after the two-minute warning (pure). */
export function spotInterruptionStatus(status: TaskStatus, stopDelayMs: number, now: number): TaskStatus {
  return {
    ...status,
    desiredStatus: 'STOPPED',
    stopCode: SPOT_STOP_CODE,
    stoppedReason: SPOT_REASON,
    stoppingAt: iso(now),
    deregistrationDelayMs: Math.max(0, SPOT_WARNING_MS - stopDelayMs),
  };
}

/** Give a RUNNING FARGATE_SPOT task its two-minute warning; other tasks are left alone. Idempotent. */
export function interruptSpotTask(store: ResourceStore, task: TaskObject, now: number): TaskObject | undefined {
  if (!isSpotTask(task) || task.status?.desiredStatus !== 'RUNNING') return undefined;
  const ref = task.status.taskDefinitionArn ? parseTaskDefinitionRef(task.status.taskDefinitionArn) : undefined;
  const rev = ref ? getRevision(store, `${ref.family}:${ref.revision}`) : undefined;
  const stopDelayMs = knobsOfTask(rev, task).stopDelayMs;
  return store.updateStatus({ ...task, status: spotInterruptionStatus(task.status, stopDelayMs, now) }) as TaskObject;
}
