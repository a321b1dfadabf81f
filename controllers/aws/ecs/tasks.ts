/**
 * RunTask, StopTask, DescribeTasks, ListTasks. RunTask applies one Task whose spec is the request,
 * stored with the task loop's first status (placed, or its placement failures) in the same write;
 * with `count`, the task loop creates `<id>-2` … `<id>-N` beside it and its reconcile runs on each at
 * once. The reply carries the tasks placed (lastStatus PROVISIONING, as ECS returns them) and a
 * `failures[]` entry for each that could not be placed (RESOURCE:MEMORY, ...).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html
 */
import { clusterOf, makeKey, type Resource } from '../../../api/meta.js';
import { parseTaskDefinitionRef } from '../../../api/arn.js';
import type { App } from '../../register.js';
import { tasksOfService } from '../../shared/indexes.js';
import { requestStop } from '../../shared/tasks.js';
import { StopCode } from '../../task/lifecycle.js';
import type { TaskObject } from '../../shared/instances.js';
import { TaskReconciler } from '../../task/reconciler.js';
import { AwsError } from '../errors.js';
import type { JsonOperation } from '../router.js';
import { applyOne } from './apply.js';
import { arn, byName, clusterOfInput, includesTags, lastSegment, missingRef, newTaskId, nextToken, pageBounds, requireCluster, resource, scopedKey, ViewCache, without } from './common.js';
import { sortedTaskIds } from './task-order.js';

const taskViews = new ViewCache();

export function taskView(t: Resource, include?: unknown): Record<string, unknown> {
  return taskViews.get(t, includesTags(include), () => buildTaskView(t, include));
}

function buildTaskView(t: Resource, include?: unknown): Record<string, unknown> {
  const s = t.status ?? {};
  const cluster = clusterOf(t);
  const taskArn = arn.task(cluster, t.metadata.name);
  return {
    ...s,
    taskArn,
    clusterArn: arn.cluster(cluster),
    lastStatus: s.lastStatus ?? 'PROVISIONING',
    desiredStatus: s.desiredStatus ?? 'RUNNING',
    containers: (s.containers ?? []).map((c: any) => ({ ...c, taskArn, containerArn: `${taskArn.replace(':task/', ':container/')}/${c.name}` })),
    overrides: t.spec.overrides ?? { containerOverrides: [], inferenceAcceleratorOverrides: [] },
    attributes: undefined,
    tags: includesTags(include) ? (t.spec.tags ?? []) : undefined,
    version: Number(t.metadata.resourceVersion ?? 1),
  };
}

function taskKey(clusterRef: unknown, ref: string): string {
  return scopedKey(clusterOfInput(clusterRef), ref);
}

/** The task loop's reconcile, run now as its own turn: initialise and place a RunTask or StartTask task before the reply. */
export function reconcileTaskNow(app: App, key: string): void {
  app.manager.reconcileNow('task', key);
}

/** The task loop's reconciler (one per app: it holds no state of its own). */
function taskLoop(app: App): TaskReconciler {
  return app.container.resolve(TaskReconciler);
}

/** The cluster's tasks, sorted by id. */
function* tasksInOrder(app: App, cluster: string): Generator<Resource> {
  for (const id of sortedTaskIds(app.store, cluster)) {
    const t = app.store.get('Task', makeKey(cluster, id));
    if (t) yield t;
  }
}

function familyOf(t: Resource): string | undefined {
  const ref = t.status?.taskDefinitionArn ?? t.spec.taskDefinition;
  return typeof ref === 'string' ? parseTaskDefinitionRef(ref).family : undefined;
}

export const taskOperations: Record<string, JsonOperation> = {
  async RunTask({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const id = newTaskId();
    const count = input.count ?? 1;
    const keys = [makeKey(cluster, id), ...Array.from({ length: count - 1 }, (_, i) => makeKey(cluster, `${id}-${i + 2}`))];
    if (count === 1) {
      // Stored placed, with the task loop's first status (one write); the loop moves it on after the reply.
      const loop = taskLoop(app);
      await applyOne(app, resource('Task', id, without(input)), { initialStatus: (t) => loop.firstStatus(t as TaskObject) });
    } else {
      await applyOne(app, resource('Task', id, without(input)));
      reconcileTaskNow(app, keys[0]); // creates the siblings
      for (const k of keys.slice(1)) reconcileTaskNow(app, k);
      await app.api.persist();
    }
    const tasks: unknown[] = [];
    const failures: unknown[] = [];
    for (const k of keys) {
      const t = app.store.get('Task', k);
      if (!t) continue;
      if (t.status?.failures?.length) failures.push(...t.status.failures.map((f: any) => ({ arn: f.arn ?? arn.task(cluster, t.metadata.name), reason: f.reason, detail: f.detail })));
      // Built fresh, not through the view cache: the task changes again within milliseconds, so
      // no later call would find this version's view (caching it and its shaped copy only costs).
      else tasks.push(buildTaskView(t, ['TAGS']));
    }
    return { tasks, failures };
  },

  async StopTask({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const task = app.store.get('Task', taskKey(cluster, input.task)) as TaskObject | undefined;
    if (!task) throw new AwsError('InvalidParameterException', 'The referenced task was not found.');
    const stopped = requestStop(app.store, task, StopCode.UserInitiated, input.reason ?? 'Task stopped by user', app.clock.now());
    await app.api.persist();
    return { task: taskView(stopped) };
  },

  DescribeTasks({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const tasks: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of input.tasks as string[]) {
      const t = app.store.get('Task', taskKey(cluster, ref));
      if (t) tasks.push(taskView(t, input.include));
      else failures.push(missingRef(ref, (name) => arn.task(cluster, name)));
    }
    return { tasks, failures };
  },

  ListTasks({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    let candidates: Iterable<Resource>;
    if (input.serviceName) {
      const key = scopedKey(cluster, input.serviceName);
      if (!app.store.get('Service', key)) throw new AwsError('ServiceNotFoundException', 'Service not found.');
      candidates = tasksOfService(app.store, key).sort(byName);
    } else candidates = tasksInOrder(app, cluster);
    const desired = input.desiredStatus ?? 'RUNNING';
    const instance = input.containerInstance ? lastSegment(input.containerInstance) : undefined;
    const matches = (t: Resource): boolean => {
      const s = t.status;
      if ((s?.desiredStatus ?? 'RUNNING') !== desired) return false;
      if (input.family && familyOf(t) !== input.family) return false;
      if (input.startedBy && (s?.startedBy ?? t.spec.startedBy) !== input.startedBy) return false;
      if (input.launchType && s?.launchType !== input.launchType) return false;
      return !instance || s?.containerInstance === instance;
    };
    // Walk in ARN order (a cluster's task ARNs share one prefix, so they sort as the ids do) and stop
    // one match past the page: that match says there is a next page.
    const { start, limit } = pageBounds(input, 'ListTasks');
    const taskArns: string[] = [];
    let position = 0;
    for (const t of candidates) {
      if (!matches(t)) continue;
      if (position === start + limit) return { taskArns, nextToken: nextToken('ListTasks', position) };
      if (position >= start) taskArns.push(arn.task(cluster, t.metadata.name));
      position++;
    }
    return { taskArns };
  },
};
