/** Secondary indexes every loop relies on, so no reconcile scans the whole store. */
import { clusterOf, makeKey, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { TaskObject } from './instances.js';
import { internedKey } from './keys.js';

export const SERVICE_LABEL = 'ecsplane.io/service';
export const DEPLOYMENT_LABEL = 'ecsplane.io/deployment';

export const INDEX = {
  /** Task → `cluster/containerInstance` (tasks not yet STOPPED). */
  taskByInstance: 'task-by-instance',
  /** Task → `cluster/service`. */
  taskByService: 'task-by-service',
} as const;

/** Key of the instance a task holds resources on (INDEX.taskByInstance's value), or undefined. */
export function heldOn(t: Resource | undefined): string | undefined {
  const inst = t?.status?.containerInstance;
  return inst && t!.status?.lastStatus !== 'STOPPED' ? internedKey(clusterOf(t!), inst) : undefined;
}

export function registerIndexes(store: ResourceStore): void {
  // Each index says "unchanged" (the previous values) when what it reads is the same; the cluster
  // is part of the key, so it never changes.
  store.addIndex('Task', INDEX.taskByInstance, (t, previous, previousValues) => {
    const before = previous?.status;
    const now = t.status;
    if (before && before.containerInstance === now?.containerInstance && (before.lastStatus === 'STOPPED') === (now?.lastStatus === 'STOPPED')) return previousValues!;
    const key = heldOn(t);
    return key ? [key] : [];
  });
  store.addIndex('Task', INDEX.taskByService, (t, previous, previousValues) => {
    if (previous && previous.metadata.labels === t.metadata.labels) return previousValues!;
    const svc = t.metadata.labels?.[SERVICE_LABEL];
    return svc ? [internedKey(clusterOf(t), svc)] : [];
  });
}

/** Tasks holding resources on an instance (`cluster/name`). */
export function tasksOnInstance(store: ResourceStore, instanceKey: string): TaskObject[] {
  return store.byIndex('Task', INDEX.taskByInstance, instanceKey) as TaskObject[];
}

export function tasksOfService(store: ResourceStore, serviceKey: string): TaskObject[] {
  return store.byIndex('Task', INDEX.taskByService, serviceKey) as TaskObject[];
}
