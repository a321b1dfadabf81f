/** Cluster status counters (ecs-semantics §1 Cluster) as a pure function of what is in it. */
import { arn } from '../../api/arn.js';
import { setConditionKeep } from '../shared/conditions.js';
import type { Resource } from '../../api/meta.js';
import type { ClusterStatus } from '../../api/v1alpha1/status.js';

export interface ClusterCounts {
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
}

const ZERO: ClusterCounts = Object.freeze({ registeredContainerInstancesCount: 0, runningTasksCount: 0, pendingTasksCount: 0, activeServicesCount: 0 });

/** What one object of the cluster counts for (the counters are the sum over its instances, tasks and services). */
export function countsOf(o: Resource): ClusterCounts {
  switch (o.kind) {
    case 'ContainerInstance': // ACTIVE + DRAINING instances count as registered.
      return ['ACTIVE', 'DRAINING'].includes(o.status?.status ?? 'ACTIVE') ? { ...ZERO, registeredContainerInstancesCount: 1 } : ZERO;
    case 'Task':
      if (o.status?.lastStatus === 'RUNNING') return { ...ZERO, runningTasksCount: 1 };
      return ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(o.status?.lastStatus) ? { ...ZERO, pendingTasksCount: 1 } : ZERO;
    case 'Service':
      return (o.status?.status ?? 'ACTIVE') === 'ACTIVE' ? { ...ZERO, activeServicesCount: 1 } : ZERO;
    default:
      return ZERO;
  }
}

/** The counters of `objects` from scratch (what the incremental counters, counts.ts, keep). */
export function countAll(objects: Iterable<Resource>): ClusterCounts {
  const c = { ...ZERO };
  for (const o of objects) {
    const d = countsOf(o);
    c.registeredContainerInstancesCount += d.registeredContainerInstancesCount;
    c.runningTasksCount += d.runningTasksCount;
    c.pendingTasksCount += d.pendingTasksCount;
    c.activeServicesCount += d.activeServicesCount;
  }
  return c;
}

export function planClusterStatus(cluster: Resource, c: Readonly<ClusterCounts>, now: number): ClusterStatus {
  const prev: ClusterStatus = cluster.status ?? {};
  return {
    ...prev,
    clusterArn: arn.cluster(cluster.metadata.name),
    status: 'ACTIVE',
    registeredContainerInstancesCount: c.registeredContainerInstancesCount,
    runningTasksCount: c.runningTasksCount,
    pendingTasksCount: c.pendingTasksCount,
    activeServicesCount: c.activeServicesCount,
    capacityProviders: cluster.spec.capacityProviders ?? [],
    observedGeneration: cluster.metadata.generation,
    conditions: setConditionKeep(
      prev.conditions,
      { type: 'Ready', status: 'True', reason: 'Active', message: 'cluster is ACTIVE', observedGeneration: cluster.metadata.generation },
      now,
    ),
  };
}
