/**
 * The cluster's status counters (registered instances, running and pending tasks, active services),
 * kept from the store's write stream: each write subtracts what the replaced object counted for and
 * adds what the new one counts for. The cluster loop ran every second while tasks changed and
 * counted the cluster's tasks each time — 100,000 of them in a maximum-size cluster, on the event
 * loop that also answers the AWS API. A cluster is counted from the store on first use; restore()
 * starts afresh. The definition is countsOf (plan.ts), applied to one object at a time.
 */
import { clusterOf, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import { countsOf, type ClusterCounts } from './plan.js';

const KINDS = new Set(['ContainerInstance', 'Task', 'Service']);

export class ClusterCounters {
  private readonly byCluster = new Map<string, ClusterCounts>();

  constructor(private readonly store: ResourceStore) {
    store.onWrite((ev) => this.written(ev));
    store.onRestore(() => this.byCluster.clear());
  }

  /** The counts of `cluster` now (do not keep the object: it changes in place). */
  of(cluster: string): Readonly<ClusterCounts> {
    let c = this.byCluster.get(cluster);
    if (!c) {
      c = { registeredContainerInstancesCount: 0, runningTasksCount: 0, pendingTasksCount: 0, activeServicesCount: 0 };
      for (const kind of KINDS) for (const o of this.store.list(kind, { cluster })) add(c, o, 1);
      this.byCluster.set(cluster, c);
    }
    return c;
  }

  private written(ev: WatchEvent): void {
    if (!KINDS.has(ev.object.kind)) return;
    const c = this.byCluster.get(clusterOf(ev.object));
    if (!c) return; // not counted yet: counted from the store when first asked
    const before = ev.previous ?? (ev.type === 'DELETED' ? ev.object : undefined);
    if (before) add(c, before, -1);
    if (ev.type !== 'DELETED') add(c, ev.object, 1);
  }
}

function add(c: ClusterCounts, o: Resource, sign: 1 | -1): void {
  const d = countsOf(o);
  c.registeredContainerInstancesCount += sign * d.registeredContainerInstancesCount;
  c.runningTasksCount += sign * d.runningTasksCount;
  c.pendingTasksCount += sign * d.pendingTasksCount;
  c.activeServicesCount += sign * d.activeServicesCount;
}

const counters = new WeakMap<ResourceStore, ClusterCounters>();

/** The counters of `store` (one per store, created on first use). */
export function clusterCounters(store: ResourceStore): ClusterCounters {
  let c = counters.get(store);
  if (!c) counters.set(store, (c = new ClusterCounters(store)));
  return c;
}
