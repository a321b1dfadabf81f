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
import type { InstanceObject } from '../shared/instances.js';

const NONE: readonly string[] = Object.freeze([]);

/**
 * Whether an instance change can let a service place a task it could not place before: anything
 * but a status write that only shows the instance fuller (tasks placed on it, or moving from
 * pending to running). Placement reads the spec, labels and annotations (state, attributes,
 * capacity provider) and the tasks; the status carries the registration state and the usage.
 */
export function mayUnblock(prev: InstanceObject, next: InstanceObject): boolean {
  if (prev.spec !== next.spec || prev.metadata.labels !== next.metadata.labels || prev.metadata.annotations !== next.metadata.annotations) return true;
  const a = prev.status ?? {};
  const b = next.status ?? {};
  if (a.status !== b.status || a.agentConnected !== b.agentConnected || a.capacityProviderName !== b.capacityProviderName) return true;
  if ((b.runningTasksCount ?? 0) + (b.pendingTasksCount ?? 0) < (a.runningTasksCount ?? 0) + (a.pendingTasksCount ?? 0)) return true;
  for (const name of ['CPU', 'MEMORY']) {
    const before = a.remainingResources?.find((r) => r.name === name)?.integerValue ?? 0;
    const after = b.remainingResources?.find((r) => r.name === name)?.integerValue ?? 0;
    if (after > before) return true;
  }
  const ports = (s: typeof a) => s.remainingResources?.filter((r) => r.type === 'STRINGSET').reduce((n, r) => n + (r.stringSetValue?.length ?? 0), 0) ?? 0;
  return ports(b) < ports(a); // a port in use again is free for a static host port
}

export function serviceKeysForInstance(store: ResourceStore): (ev: WatchEvent) => readonly string[] {
  const byCluster = new Map<string, readonly string[]>();
  store.onWrite((ev) => {
    if (ev.object.kind === 'Service' && ev.type !== 'MODIFIED') byCluster.delete(clusterOf(ev.object));
  });
  store.onRestore(() => byCluster.clear());
  return (ev) => {
    if (ev.type === 'MODIFIED' && ev.previous && !mayUnblock(ev.previous as InstanceObject, ev.object as InstanceObject)) return NONE;
    const cluster = clusterOf(ev.object);
    let keys = byCluster.get(cluster);
    if (!keys) byCluster.set(cluster, (keys = Object.freeze(store.list('Service', { cluster }).map(keyOf))));
    return keys;
  };
}
