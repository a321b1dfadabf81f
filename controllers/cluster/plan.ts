/** Cluster status counters (ecs-semantics §1 Cluster) as a pure function of what is in it. */
import { arn } from '../../api/arn.js';
import { setCondition } from '../../api/conditions.js';
import { setConditionKeep } from '../shared/conditions.js';
import type { Resource } from '../../api/meta.js';
import type { ClusterStatus } from '../../api/v1alpha1/status.js';

export interface ClusterContents {
  instances: Resource[];
  tasks: Resource[];
  services: Resource[];
}

export function planClusterStatus(cluster: Resource, c: ClusterContents, now: number): ClusterStatus {
  const prev: ClusterStatus = cluster.status ?? {};
  return {
    ...prev,
    clusterArn: arn.cluster(cluster.metadata.name),
    status: 'ACTIVE',
    // ACTIVE + DRAINING instances count as registered.
    registeredContainerInstancesCount: c.instances.filter((i) => ['ACTIVE', 'DRAINING'].includes(i.status?.status ?? 'ACTIVE')).length,
    runningTasksCount: c.tasks.filter((t) => t.status?.lastStatus === 'RUNNING').length,
    pendingTasksCount: c.tasks.filter((t) => ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(t.status?.lastStatus)).length,
    activeServicesCount: c.services.filter((s) => (s.status?.status ?? 'ACTIVE') === 'ACTIVE').length,
    capacityProviders: cluster.spec.capacityProviders ?? [],
    observedGeneration: cluster.metadata.generation,
    conditions: setConditionKeep(
      prev.conditions,
      { type: 'Ready', status: 'True', reason: 'Active', message: 'cluster is ACTIVE', observedGeneration: cluster.metadata.generation },
      now,
    ),
  };
}
