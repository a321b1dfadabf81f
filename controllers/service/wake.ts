/**
 * Which services a container instance event wakes. A change of what placement reads (state, agent,
 * attributes, capacity provider: `structural`) wakes every service of the instance's cluster; an
 * instance that only got roomier (a task gone, resources or a port freed: `roomier`) wakes the
 * services that may be waiting for room — every one that is not in steady state (a steady service
 * runs its desired count on one completed deployment, and a change of its desired count wakes it
 * anyway), daemons, and services whose AZ rebalancing waits for room. Instance status changes with
 * every task that starts or stops on it, so this runs for most task events: waking every service
 * for each made a day of autoscaling quadratic in services. The key lists are kept per cluster
 * from the write stream (rebuilt only when the membership changes) and handed out as frozen
 * arrays, which lets the controller runtime see that a burst of such events asks for the same
 * keys (Controller.delayedEnqueue). Same order as listing the cluster's services.
 */
import { clusterOf, keyOf, type Resource } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import type { InstanceObject } from '../shared/instances.js';

const NONE: readonly string[] = Object.freeze([]);

export type InstanceChange = 'none' | 'roomier' | 'structural';

/**
 * How an instance change can let a service place a task it could not place before. Placement reads
 * the spec, labels and annotations (state, attributes, capacity provider), the registration state and
 * the usage; a status write that only shows the instance fuller (tasks placed on it, or moving from
 * pending to running) changes nothing a blocked service waits for.
 */
export function instanceChange(prev: InstanceObject, next: InstanceObject): InstanceChange {
  if (prev.spec !== next.spec || prev.metadata.labels !== next.metadata.labels || prev.metadata.annotations !== next.metadata.annotations) return 'structural';
  const a = prev.status ?? {};
  const b = next.status ?? {};
  if (a.status !== b.status || a.agentConnected !== b.agentConnected || a.capacityProviderName !== b.capacityProviderName) return 'structural';
  if ((b.runningTasksCount ?? 0) + (b.pendingTasksCount ?? 0) < (a.runningTasksCount ?? 0) + (a.pendingTasksCount ?? 0)) return 'roomier';
  for (const name of ['CPU', 'MEMORY']) {
    const before = a.remainingResources?.find((r) => r.name === name)?.integerValue ?? 0;
    const after = b.remainingResources?.find((r) => r.name === name)?.integerValue ?? 0;
    if (after > before) return 'roomier';
  }
  const ports = (s: typeof a) => s.remainingResources?.filter((r) => r.type === 'STRINGSET').reduce((n, r) => n + (r.stringSetValue?.length ?? 0), 0) ?? 0;
  return ports(b) < ports(a) ? 'roomier' : 'none'; // a port in use again is free for a static host port
}

/** Whether an instance change can unblock placement at all. */
export function mayUnblock(prev: InstanceObject, next: InstanceObject): boolean {
  return instanceChange(prev, next) !== 'none';
}

/**
 * Whether a service, as last written, may be waiting for room: anything but a steady REPLICA service
 * (its scheduler state says steady) with no AZ rebalance pending. Conservative: unknown means waiting.
 */
export function mayWaitForRoom(svc: Resource): boolean {
  if (svc.spec?.schedulingStrategy === 'DAEMON') return true;
  const sched = svc.status?.scheduler;
  return !sched?.steady || Boolean(sched.azRebalancing) || sched.azRetryAt !== undefined;
}

interface ClusterServices {
  /** Every service of the cluster, as listed. */
  all: readonly string[];
  /** The ones that may be waiting for room, and that list in the same order (built on demand). */
  waiting: Set<string>;
  waitingList?: readonly string[];
}

export function serviceKeysForInstance(store: ResourceStore): (ev: WatchEvent) => readonly string[] {
  const byCluster = new Map<string, ClusterServices>();
  store.onWrite((ev) => {
    if (ev.object.kind !== 'Service') return;
    const entry = byCluster.get(clusterOf(ev.object));
    if (!entry) return; // built from the store when first asked
    if (ev.type !== 'MODIFIED') {
      byCluster.delete(clusterOf(ev.object));
      return;
    }
    const key = keyOf(ev.object);
    const waits = mayWaitForRoom(ev.object);
    if (waits === entry.waiting.has(key)) return;
    if (waits) entry.waiting.add(key);
    else entry.waiting.delete(key);
    entry.waitingList = undefined;
  });
  store.onRestore(() => byCluster.clear());
  const servicesOf = (cluster: string): ClusterServices => {
    let entry = byCluster.get(cluster);
    if (!entry) {
      const services = store.list('Service', { cluster });
      entry = { all: Object.freeze(services.map(keyOf)), waiting: new Set(services.filter(mayWaitForRoom).map(keyOf)) };
      byCluster.set(cluster, entry);
    }
    return entry;
  };
  return (ev) => {
    const change = ev.type === 'MODIFIED' && ev.previous ? instanceChange(ev.previous as InstanceObject, ev.object as InstanceObject) : 'structural';
    if (change === 'none') return NONE;
    const entry = servicesOf(clusterOf(ev.object));
    if (change === 'structural') return entry.all;
    return (entry.waitingList ??= Object.freeze(entry.all.filter((k) => entry.waiting.has(k))));
  };
}
