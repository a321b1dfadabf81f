/**
 * UpdateTaskProtection / GetTaskProtection. Protection is observed state of a service task, kept in
 * `status.protection` ({protectionEnabled, expirationDate}); the service loop never picks a protected
 * task for scale-in or to replace a healthy task in a deployment (controllers/service/rolling.ts).
 * Default 120 minutes, 1–2,880; only tasks of a service (a standalone task is TASK_NOT_VALID):
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateTaskProtection.html
 */
import { makeKey, type Resource } from '../../../api/meta.js';
import type { App } from '../../register.js';
import { newProtection, protectionAt } from '../../service/protection.js';
import { SERVICE_LABEL, tasksOfService } from '../../shared/indexes.js';
import { AwsError } from '../errors.js';
import type { JsonOperation } from '../router.js';
import { arn, clusterOfInput, INVALID, requireCluster, scopedKey } from './common.js';

function protectedTaskView(cluster: string, t: Resource, now: number) {
  const p = protectionAt(t, now);
  return { taskArn: arn.task(cluster, t.metadata.name), protectionEnabled: p.protectionEnabled, ...(p.expirationDate ? { expirationDate: p.expirationDate } : {}) };
}

type Lookup = { task: Resource } | { failure: { arn: string; reason: string; detail?: string } };

function lookUp(app: App, cluster: string, ref: string): Lookup {
  const t = app.store.get('Task', scopedKey(cluster, ref));
  const taskArn = ref.startsWith('arn:') ? ref : arn.task(cluster, ref);
  if (!t) return { failure: { arn: taskArn, reason: 'MISSING' } };
  if (!t.metadata.labels?.[SERVICE_LABEL]) return { failure: { arn: taskArn, reason: 'TASK_NOT_VALID', detail: 'The task is not part of a service.' } };
  if (t.status?.desiredStatus === 'STOPPED') return { failure: { arn: taskArn, reason: 'TASK_NOT_VALID', detail: 'The task is stopping or stopped.' } };
  return { task: t };
}

export const taskProtectionOperations: Record<string, JsonOperation> = {
  async UpdateTaskProtection({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const refs = input.tasks as string[];
    if (refs.length < 1 || refs.length > 10) throw new AwsError(INVALID, 'tasks must contain between 1 and 10 task IDs or ARNs.');
    const now = app.clock.now();
    let protection;
    try {
      protection = newProtection(Boolean(input.protectionEnabled), input.expiresInMinutes, now);
    } catch (err) {
      throw new AwsError(INVALID, (err as Error).message);
    }
    const protectedTasks: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of refs) {
      const found = lookUp(app, cluster, ref);
      if ('failure' in found) {
        failures.push(found.failure);
        continue;
      }
      const updated = app.store.updateStatus({ ...found.task, status: { ...found.task.status, protection } });
      protectedTasks.push(protectedTaskView(cluster, updated, now));
    }
    await app.api.persist();
    return { protectedTasks, failures };
  },

  GetTaskProtection({ app }, input) {
    const cluster = clusterOfInput(input.cluster);
    requireCluster(app, cluster);
    const now = app.clock.now();
    const protectedTasks: unknown[] = [];
    const failures: unknown[] = [];
    const refs = input.tasks as string[] | undefined;
    if (refs && refs.length > 100) throw new AwsError(INVALID, 'tasks must contain at most 100 task IDs or ARNs.');
    if (!refs?.length) {
      // No tasks named: every running service task of the cluster (ECS documents no default).
      for (const svc of app.store.list('Service', { cluster })) {
        for (const t of tasksOfService(app.store, makeKey(cluster, svc.metadata.name))) {
          if (t.status?.desiredStatus !== 'STOPPED') protectedTasks.push(protectedTaskView(cluster, t, now));
        }
      }
      return { protectedTasks, failures };
    }
    for (const ref of refs) {
      const found = lookUp(app, cluster, ref);
      if ('failure' in found) failures.push(found.failure);
      else protectedTasks.push(protectedTaskView(cluster, found.task, now));
    }
    return { protectedTasks, failures };
  },
};
