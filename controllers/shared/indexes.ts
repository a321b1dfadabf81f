/** Secondary indexes every loop relies on, so no reconcile scans the whole store. */
import { clusterOf, makeKey } from '../../api/meta.js';
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

export function registerIndexes(store: ResourceStore): void {
  store.addIndex('Task', INDEX.taskByInstance, (t) => {
    const inst = t.status?.containerInstance;
    return inst && t.status?.lastStatus !== 'STOPPED' ? [internedKey(clusterOf(t), inst)] : [];
  });
  store.addIndex('Task', INDEX.taskByService, (t) => {
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
