/**
 * A cluster's task ids in ListTasks order (sorted), kept per store and rebuilt only when a task of
 * that cluster is created or removed: status writes move no task in the order, so a ListTasks page
 * walks the sorted ids and stops once it is full instead of sorting every task on every call.
 */
import { clusterOf } from '../../../api/meta.js';
import type { ResourceStore } from '../../../store/store.js';

const orders = new WeakMap<ResourceStore, Map<string, string[]>>();

export function sortedTaskIds(store: ResourceStore, cluster: string): readonly string[] {
  let byCluster = orders.get(store);
  if (!byCluster) {
    const fresh = new Map<string, string[]>();
    orders.set(store, (byCluster = fresh));
    store.onWrite((ev) => {
      if (ev.type !== 'MODIFIED' && ev.object.kind === 'Task') fresh.delete(clusterOf(ev.object));
    });
    store.onRestore(() => fresh.clear());
  }
  let ids = byCluster.get(cluster);
  if (!ids) byCluster.set(cluster, (ids = store.list('Task', { cluster }).map((t) => t.metadata.name).sort()));
  return ids;
}
