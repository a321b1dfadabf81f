/**
 * The Availability Zones of a cluster's usable container instances (ACTIVE, agent connected), kept per
 * cluster and dropped when one of its instances' spec or annotations is written: AZ rebalancing asks on every service
 * reconcile, and listing thousands of instances each time would put a full scan on that path.
 */
import { clusterOf } from '../../api/meta.js';
import type { ResourceStore } from '../../store/store.js';
import { effectiveState, type InstanceObject } from './instances.js';

const caches = new WeakMap<ResourceStore, Map<string, string[]>>();

export function usableZones(store: ResourceStore, cluster: string): string[] {
  let cache = caches.get(store);
  if (!cache) {
    const c = (cache = new Map());
    caches.set(store, c);
    store.onWrite((ev) => {
      if (ev.object.kind !== 'ContainerInstance') return;
      // The zones read the spec (attributes) and the annotations (effectiveState): a status write
      // (the accounting of every task placed or stopped there) shares both and changes no zone.
      const prev = ev.previous;
      if (ev.type === 'MODIFIED' && prev && prev.spec === ev.object.spec && prev.metadata.annotations === ev.object.metadata.annotations) return;
      c.delete(clusterOf(ev.object));
    });
    store.onRestore(() => c.clear());
  }
  let zones = cache.get(cluster);
  if (!zones) {
    const set = new Set<string>();
    for (const i of store.list('ContainerInstance', { cluster }) as InstanceObject[]) {
      const st = effectiveState(i);
      const az = i.spec.attributes?.find((a: any) => a.name === 'ecs.availability-zone')?.value;
      if (st.status === 'ACTIVE' && st.agentConnected && az) set.add(az);
    }
    cache.set(cluster, (zones = [...set]));
  }
  return zones;
}
