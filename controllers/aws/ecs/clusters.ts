/** CreateCluster, DescribeClusters, ListClusters, DeleteCluster, UpdateCluster, UpdateClusterSettings, PutClusterCapacityProviders. */
import type { Resource } from '../../../api/meta.js';
import type { App } from '../../register.js';
import { AwsError } from '../errors.js';
import type { JsonOperation } from '../router.js';
import { applyOne, reapply } from './apply.js';
import { arn, byName, clusterOfInput, includesTags, missing, paginate, requireCluster, resource, without } from './common.js';

export function clusterView(app: App, c: Resource, include?: unknown): Record<string, unknown> {
  const s = c.status ?? {};
  const name = c.metadata.name;
  const live = s.clusterArn === undefined; // not reconciled yet: count from the store
  return {
    ...c.spec,
    ...s,
    clusterArn: arn.cluster(name),
    clusterName: name,
    status: c.metadata.deletionTimestamp ? 'INACTIVE' : (s.status ?? 'ACTIVE'),
    registeredContainerInstancesCount: live ? app.store.list('ContainerInstance', { cluster: name }).length : (s.registeredContainerInstancesCount ?? 0),
    runningTasksCount: s.runningTasksCount ?? 0,
    pendingTasksCount: s.pendingTasksCount ?? 0,
    activeServicesCount: live ? app.store.list('Service', { cluster: name }).length : (s.activeServicesCount ?? 0),
    capacityProviders: c.spec.capacityProviders ?? [],
    defaultCapacityProviderStrategy: c.spec.defaultCapacityProviderStrategy ?? [],
    settings: c.spec.settings ?? [{ name: 'containerInsights', value: 'disabled' }],
    tags: includesTags(include) ? (c.spec.tags ?? []) : undefined,
  };
}

function clusterOrThrow(app: App, ref: unknown): Resource {
  return requireCluster(app, clusterOfInput(ref));
}

export const clusterOperations: Record<string, JsonOperation> = {
  async CreateCluster({ app }, input) {
    const name = clusterOfInput(input.clusterName);
    const existing = app.store.get('Cluster', name);
    // CreateCluster of an existing ACTIVE cluster returns it unchanged (ECS is idempotent here).
    if (existing && !existing.metadata.deletionTimestamp && existing.status?.status !== 'INACTIVE') return { cluster: clusterView(app, existing) };
    const created = await applyOne(app, resource('Cluster', name, without(input)));
    return { cluster: clusterView(app, created, ['TAGS']) };
  },

  DescribeClusters({ app }, input) {
    const refs: string[] = input.clusters?.length ? input.clusters : ['default'];
    const clusters: unknown[] = [];
    const failures: unknown[] = [];
    for (const ref of refs) {
      const c = app.store.get('Cluster', clusterOfInput(ref));
      if (c) clusters.push(clusterView(app, c, input.include));
      else failures.push(missing(ref, arn.cluster(clusterOfInput(ref))));
    }
    return { clusters, failures };
  },

  ListClusters({ app }, input) {
    const all = app.store.list('Cluster').filter((c) => !c.metadata.deletionTimestamp && c.status?.status !== 'INACTIVE').sort(byName);
    const page = paginate(all, input, 'ListClusters');
    return { clusterArns: page.items.map((c) => arn.cluster(c.metadata.name)), nextToken: page.nextToken };
  },

  async DeleteCluster({ app }, input) {
    const c = clusterOrThrow(app, input.cluster);
    await app.api.deleteAndPersist('Cluster', c.metadata.name);
    return { cluster: { ...clusterView(app, c), status: 'INACTIVE' } };
  },

  async UpdateCluster({ app }, input) {
    const c = clusterOrThrow(app, input.cluster);
    const updated = await reapply(app, c, { ...c.spec, ...without(input, 'cluster') });
    return { cluster: clusterView(app, updated) };
  },

  async UpdateClusterSettings({ app }, input) {
    const c = clusterOrThrow(app, input.cluster);
    const updated = await reapply(app, c, { ...c.spec, settings: input.settings });
    return { cluster: clusterView(app, updated) };
  },

  async PutClusterCapacityProviders({ app }, input) {
    const c = clusterOrThrow(app, input.cluster);
    if (!Array.isArray(input.capacityProviders)) throw new AwsError('InvalidParameterException', 'capacityProviders is required.');
    const updated = await reapply(app, c, {
      ...c.spec,
      capacityProviders: input.capacityProviders,
      defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy,
    });
    return { cluster: clusterView(app, updated) };
  },
};
