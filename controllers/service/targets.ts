/**
 * Where a service's tasks run: a launch type, or a capacity provider strategy split by
 * base/weight (ecs-semantics §1 "Strategy base/weight"), and how many tasks it wants (its own
 * desiredCount, or the value Application Auto Scaling set).
 */
import { clusterOf, type Resource } from '../../api/meta.js';
import type { CapacityProviderStrategyItem, ServiceSpec } from '../../api/v1alpha1/types.js';
import type { DeploymentStatus } from '../../api/v1alpha1/status.js';
import type { ResourceStore } from '../../store/store.js';
import { nextProvider } from '../scaling-math/index.js';
import { targetsOfResource, tasksOfService } from '../shared/indexes.js';

export const FARGATE_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);

export interface LaunchPart {
  count: number;
  launchType: string;
  capacityProviderName?: string;
  /** Capacity provider tasks wait in PROVISIONING for instances instead of failing placement. */
  waitForCapacity: boolean;
}

export interface LaunchTarget {
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  split(count: number, store: ResourceStore, serviceKey: string): LaunchPart[];
}

export function strategyFor(store: ResourceStore, cluster: string, spec: { launchType?: string; capacityProviderStrategy?: CapacityProviderStrategyItem[] }): CapacityProviderStrategyItem[] | undefined {
  if (spec.launchType) return undefined;
  if (spec.capacityProviderStrategy?.length) return spec.capacityProviderStrategy;
  const c = store.get('Cluster', cluster);
  const def = c?.spec?.defaultCapacityProviderStrategy as CapacityProviderStrategyItem[] | undefined;
  return def?.length ? def : undefined;
}

export function launchTargetFor(
  store: ResourceStore,
  cluster: string,
  spec: ServiceSpec,
  deployment?: DeploymentStatus,
): LaunchTarget {
  const strategy = (deployment?.capacityProviderStrategy as CapacityProviderStrategyItem[] | undefined) ?? strategyFor(store, cluster, spec);
  if (!strategy) {
    const launchType = deployment?.launchType ?? spec.launchType ?? 'EC2';
    return { launchType, split: (count) => [{ count, launchType, waitForCapacity: false }] };
  }
  return {
    capacityProviderStrategy: strategy,
    split(count, st, serviceKey) {
      const existing: Record<string, number> = {};
      for (const t of tasksOfService(st, serviceKey)) {
        const p = t.status?.capacityProviderName;
        if (p && t.status?.desiredStatus === 'RUNNING') existing[p] = (existing[p] ?? 0) + 1;
      }
      const parts = new Map<string, number>();
      for (let i = 0; i < count; i++) {
        const p = nextProvider(strategy as any, existing);
        existing[p] = (existing[p] ?? 0) + 1;
        parts.set(p, (parts.get(p) ?? 0) + 1);
      }
      return [...parts].map(([p, n]) => ({
        count: n,
        launchType: FARGATE_PROVIDERS.has(p) ? 'FARGATE' : 'EC2',
        capacityProviderName: p,
        waitForCapacity: !FARGATE_PROVIDERS.has(p),
      }));
    },
  };
}

/**
 * The desired count the scheduler works to: Application Auto Scaling's value while a scalable
 * target is registered for the service and the user has not changed spec.desiredCount since,
 * else spec.desiredCount.
 */
export function effectiveDesiredCount(store: ResourceStore, svc: Resource, spec: ServiceSpec): number {
  const specCount = spec.desiredCount ?? 0;
  const resourceId = `service/${clusterOf(svc)}/${svc.metadata.name}`;
  for (const t of targetsOfResource(store, resourceId)) {
    if (t.spec.ScalableDimension !== 'ecs:service:DesiredCount') continue;
    const st = t.status as { desiredCount?: number; specDesiredCount?: number } | undefined;
    if (st?.desiredCount !== undefined && st.specDesiredCount === specCount) return st.desiredCount;
  }
  return specCount;
}
