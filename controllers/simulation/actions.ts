/**
 * Scenario actions that stand in for the world outside the control plane: EC2 instances
 * stopping or terminating, agents disconnecting, containers crashing, Spot interruptions,
 * and the user's UpdateContainerInstancesState / StopTask calls.
 */
import { makeKey } from '../../api/meta.js';
import { clone } from '../../store/objects.js';
import type { ResourceStore } from '../../store/store.js';
import { INSTANCE_ANNOTATIONS, type TaskObject } from '../shared/instances.js';
import { tasksOfService } from '../shared/indexes.js';
import { iso } from '../shared/status.js';
import { requestStop } from '../shared/tasks.js';
import { StopCode } from '../task/lifecycle.js';
import { newProtection } from '../service/protection.js';
// Seam for the capacity-provider work: Spot interruptions honour the two-minute warning (controllers/capacity/spot.ts).
import { interruptSpotTask, isSpotTask } from '../capacity/spot.js';
import type { InstanceAction, TaskAction } from './scenario.js';

export function instanceAction(store: ResourceStore, cluster: string, name: string, action: InstanceAction): void {
  const inst = store.get('ContainerInstance', makeKey(cluster, name));
  if (!inst) throw new Error(`instance action ${action}: ContainerInstance ${cluster}/${name} not found`);
  const next = clone(inst);
  const a = (next.metadata.annotations ??= {});
  switch (action) {
    case 'terminate':
      a[INSTANCE_ANNOTATIONS.ec2State] = 'terminated';
      break;
    case 'stop':
      a[INSTANCE_ANNOTATIONS.ec2State] = 'stopped';
      break;
    case 'disconnect':
      a[INSTANCE_ANNOTATIONS.agent] = 'disconnected';
      break;
    case 'reconnect':
      delete a[INSTANCE_ANNOTATIONS.agent];
      break;
    case 'drain':
      a[INSTANCE_ANNOTATIONS.desiredStatus] = 'DRAINING';
      break;
    case 'activate':
      delete a[INSTANCE_ANNOTATIONS.desiredStatus];
      break;
  }
  store.update(next);
}

/** ECS's reason for a container the kernel killed (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html). */
export const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';

export interface TaskActionOptions {
  exitCode?: number;
  reason?: string;
  container?: string;
}

/**
 * Crash (a container exits), OOM-kill (exit 137), stop (StopTask) or Spot-interrupt `count`
 * running tasks. A crashed essential container stops the task; a non-essential one exits alone.
 */
export function taskAction(
  store: ResourceStore,
  sel: { cluster: string; service?: string; family?: string; count: number },
  action: TaskAction,
  now: number,
  opts: TaskActionOptions = {},
): string[] {
  const candidates = (sel.service ? tasksOfService(store, makeKey(sel.cluster, sel.service)) : (store.list('Task', { cluster: sel.cluster }) as TaskObject[]))
    .filter((t) => t.status?.lastStatus === 'RUNNING' && t.status?.desiredStatus === 'RUNNING')
    .filter((t) => !sel.family || t.spec.taskDefinition?.split(':')[0] === sel.family)
    .filter((t) => action !== 'spot-interruption' || isSpotTask(t)) // only FARGATE_SPOT tasks get interrupted
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
    .slice(0, sel.count);
  for (const t of candidates) {
    if (action === 'stop') requestStop(store, t, StopCode.UserInitiated, opts.reason ?? 'Task stopped by user', now);
    else if (action === 'spot-interruption') interruptSpotTask(store, t, now);
    else {
      const status = clone(t.status!);
      const victim = opts.container ? status.containers?.find((c) => c.name === opts.container) : status.containers?.find((c) => c.essential !== false);
      if (!victim) throw new Error(`task ${t.metadata.name} has no container ${JSON.stringify(opts.container)}`);
      const exitCode = action === 'oom' ? 137 : (opts.exitCode ?? 1);
      if (victim.essential === false) {
        Object.assign(victim, { lastStatus: 'STOPPED', exitCode, ...(action === 'oom' ? { reason: OOM_REASON } : {}) });
        store.updateStatus({ ...t, status });
        continue;
      }
      for (const c of status.containers ?? []) {
        c.lastStatus = 'STOPPED';
        if (c === victim) {
          c.exitCode = exitCode;
          if (action === 'oom') c.reason = OOM_REASON;
        }
      }
      Object.assign(status, {
        desiredStatus: 'STOPPED',
        stopCode: StopCode.EssentialContainerExited,
        stoppedReason: 'Essential container in task exited',
        stoppingAt: iso(now),
      });
      store.updateStatus({ ...t, status });
    }
  }
  return candidates.map((t) => t.metadata.name);
}

/**
 * UpdateTaskProtection on the first `count` running tasks of a service (by task id), as the
 * AWS API front end writes it (status.protection).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html
 */
export function protectTasks(
  store: ResourceStore,
  sel: { cluster: string; service: string; count: number; protectionEnabled: boolean; expiresInMinutes?: number },
  now: number,
): string[] {
  const protection = newProtection(sel.protectionEnabled, sel.expiresInMinutes, now);
  const tasks = tasksOfService(store, makeKey(sel.cluster, sel.service))
    .filter((t) => t.status?.desiredStatus === 'RUNNING')
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
    .slice(0, sel.count);
  for (const t of tasks) store.updateStatus({ ...t, status: { ...t.status, protection } });
  return tasks.map((t) => t.metadata.name);
}
