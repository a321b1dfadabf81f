/**
 * ecsplane's own gauges, read from the store at scrape time (no bookkeeping on the hot path):
 * tasks by lastStatus and service, services by the rollout state of their PRIMARY deployment, desired
 * and running counts per service, container instances by status, store objects per kind and the
 * store's resourceVersion.
 */
import { clusterOf, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { RuntimeMetrics } from '../runtime/metrics.js';

/** The service a task belongs to: its owner (ECS: group `service:NAME`); '' for RunTask tasks. */
function serviceOf(task: Resource): string {
  const owner = task.metadata.ownerReferences?.find((r) => r.kind === 'Service');
  if (owner) return owner.name;
  const group: unknown = task.status?.group ?? task.spec?.group;
  return typeof group === 'string' && group.startsWith('service:') ? group.slice('service:'.length) : '';
}

function countBy<T extends string>(items: Iterable<Resource>, labelsOf: (o: Resource) => Record<T, string>): Map<string, { labels: Record<T, string>; n: number }> {
  const out = new Map<string, { labels: Record<T, string>; n: number }>();
  for (const o of items) {
    const labels = labelsOf(o);
    const id = JSON.stringify(labels);
    const entry = out.get(id);
    if (entry) entry.n++;
    else out.set(id, { labels, n: 1 });
  }
  return out;
}

export function registerEcsGauges(metrics: RuntimeMetrics, store: ResourceStore): void {
  metrics.gauge('ecsplane_tasks', 'Tasks by cluster, service (empty for RunTask tasks) and lastStatus', ['cluster', 'service', 'last_status'], (set) => {
    const counts = countBy(store.list('Task'), (t) => ({ cluster: clusterOf(t), service: serviceOf(t), last_status: String(t.status?.lastStatus ?? 'PROVISIONING') }));
    for (const { labels, n } of counts.values()) set(labels, n);
  });
  metrics.gauge('ecsplane_services', "Services by cluster and the rolloutState of their PRIMARY deployment ('' before the first one)", ['cluster', 'rollout_state'], (set) => {
    const primary = (s: Resource) => (s.status?.deployments ?? []).find((d: any) => d.status === 'PRIMARY');
    const counts = countBy(store.list('Service'), (s) => ({ cluster: clusterOf(s), rollout_state: String(primary(s)?.rolloutState ?? '') }));
    for (const { labels, n } of counts.values()) set(labels, n);
  });
  metrics.gauge('ecsplane_service_desired_tasks', 'desiredCount of each service', ['cluster', 'service'], (set) => {
    for (const s of store.list('Service')) set({ cluster: clusterOf(s), service: s.metadata.name }, Number(s.status?.desiredCount ?? s.spec?.desiredCount ?? 0));
  });
  metrics.gauge('ecsplane_service_running_tasks', 'runningCount of each service', ['cluster', 'service'], (set) => {
    for (const s of store.list('Service')) set({ cluster: clusterOf(s), service: s.metadata.name }, Number(s.status?.runningCount ?? 0));
  });
  metrics.gauge('ecsplane_container_instances', 'Container instances by cluster and status', ['cluster', 'status'], (set) => {
    const counts = countBy(store.list('ContainerInstance'), (i) => ({ cluster: clusterOf(i), status: String(i.status?.status ?? 'REGISTERING') }));
    for (const { labels, n } of counts.values()) set(labels, n);
  });
  metrics.gauge('ecsplane_store_objects', 'Objects in the store by kind', ['kind'], (set) => {
    for (const kind of store.kinds()) set({ kind }, store.count(kind));
  });
  metrics.gauge('ecsplane_store_resource_version', 'The store resourceVersion (grows with every write)', [], (set) => set({} as never, store.resourceVersion));
}
