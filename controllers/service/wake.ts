/**
 * Which services a container instance event wakes: every service of the instance's cluster
 * (capacity and health changes can unblock placement). Instance status changes with every task
 * that starts or stops on it, so this runs for most task events: the key list is kept per cluster
 * (rebuilt only when a service is created or removed there) and handed out as one frozen array,
 * which lets the controller runtime see that a burst of such events asks for the same keys
 * (Controller.delayedEnqueue). Same keys, same order as listing the cluster's services.
 */
import { clusterOf, keyOf } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';

export function serviceKeysForInstance(store: ResourceStore): (ev: WatchEvent) => readonly string[] {
  const byCluster = new Map<string, readonly string[]>();
  store.onWrite((ev) => {
    if (ev.object.kind === 'Service' && ev.type !== 'MODIFIED') byCluster.delete(clusterOf(ev.object));
  });
  store.onRestore(() => byCluster.clear());
  return (ev) => {
    const cluster = clusterOf(ev.object);
    let keys = byCluster.get(cluster);
    if (!keys) byCluster.set(cluster, (keys = Object.freeze(store.list('Service', { cluster }).map(keyOf))));
    return keys;
  };
}
