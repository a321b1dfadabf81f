/**
 * Placement views of container instances, kept incrementally (issue #6).
 *
 * Building a view reads the instance and every task placed on it, so building the views of a
 * whole cluster on every service reconcile made the scheduler O(instances + tasks) per reconcile
 * (quadratic over a deployment). This cache keeps one view per instance and rebuilds only the
 * views whose instance, or a task on it, was written since (store write listener), so a cluster's
 * views cost O(instances changed) plus one array copy. The views are identical to a fresh build
 * (instanceViewFresh) and are shared: callers must not change them (none does: placement and
 * scale-in only read them).
 */
import { clusterOf, makeKey } from '../../api/meta.js';
import { arn } from '../../api/arn.js';
import type { ResourceStore } from '../../store/store.js';
import type { WatchEvent } from '../../store/watch.js';
import type { InstanceView } from '../placement/index.js';
import { tasksOnInstance } from './indexes.js';
import {
  attributesOf,
  capacityProviderOf,
  ec2InstanceIdOf,
  effectiveState,
  registeredOf,
  usageOf,
  type InstanceObject,
  type Registered,
} from './instances.js';

/** What a view takes from the instance's spec (and name): computed once per spec object. */
interface StaticParts {
  name: string;
  reg: Registered;
  attributes: Record<string, string | null>;
  ec2InstanceId: string;
  agentVersion: string;
}

const staticParts = new WeakMap<object, StaticParts>();

function partsOf(inst: InstanceObject): StaticParts {
  const spec = inst.spec as object;
  let p = staticParts.get(spec);
  // A spec object belongs to one stored object (the store clones what it is given); the name
  // check only guards against callers that build instances by hand from a shared spec.
  if (p && p.name === inst.metadata.name && Object.isFrozen(spec)) {
    // Attributes also read the instance type table and nothing else of the object.
    return p;
  }
  p = {
    name: inst.metadata.name,
    reg: registeredOf(inst.spec),
    attributes: attributesOf(inst),
    ec2InstanceId: ec2InstanceIdOf(inst),
    agentVersion: inst.spec.versionInfo?.agentVersion ?? '1.87.0',
  };
  if (Object.isFrozen(spec)) staticParts.set(spec, p);
  return p;
}

/** A view built from the store now (no cache). */
export function instanceViewFresh(store: ResourceStore, cluster: string, inst: InstanceObject): InstanceView {
  const tasks = tasksOnInstance(store, makeKey(cluster, inst.metadata.name));
  const parts = partsOf(inst);
  const reg = parts.reg;
  const used = usageOf(tasks);
  const state = effectiveState(inst);
  for (const p of reg.tcpPorts) used.tcpPorts.add(p);
  for (const p of reg.udpPorts) used.udpPorts.add(p);
  const placed: InstanceView['tasks'] = [];
  for (const t of tasks) {
    if (t.status?.desiredStatus !== 'RUNNING') continue;
    const svc = t.metadata.labels?.['ecsplane.io/service'];
    placed.push({
      id: t.metadata.name,
      group: t.status?.group ?? t.spec.group ?? '',
      serviceKey: svc ? makeKey(cluster, svc) : undefined,
      deploymentId: t.status?.startedBy,
      startedAt: t.status?.startedAt ? Date.parse(t.status.startedAt) : undefined,
    });
  }
  return {
    name: inst.metadata.name,
    arn: arn.containerInstance(cluster, inst.metadata.name),
    ec2InstanceId: parts.ec2InstanceId,
    status: state.status,
    agentConnected: state.agentConnected,
    agentVersion: parts.agentVersion,
    registeredAt: Date.parse(inst.metadata.creationTimestamp ?? '1970-01-01T00:00:00Z'),
    attributes: parts.attributes,
    remainingCpu: reg.cpu - used.cpu,
    remainingMemory: reg.memory - used.memory,
    usedTcpPorts: used.tcpPorts,
    usedUdpPorts: used.udpPorts,
    tasks: placed,
  };
}

interface ClusterViews {
  /** Instance names, sorted as instanceViews() always returned them. */
  names: string[];
  views: InstanceView[];
  pos: Map<string, number>;
  /** Names whose entry in `views` is out of date. */
  stale: Set<string>;
}

export class InstanceViewCache {
  /** Views by instance key (`cluster/name`), and the keys whose view is out of date. */
  private readonly views = new Map<string, { inst: InstanceObject; view: InstanceView }>();
  private readonly dirty = new Set<string>();
  private readonly clusters = new Map<string, ClusterViews>();

  constructor(private readonly store: ResourceStore) {
    store.onWrite((ev, previous) => this.written(ev, previous));
    store.onRestore(() => this.clear());
  }

  clear(): void {
    this.views.clear();
    this.dirty.clear();
    this.clusters.clear();
  }

  /** The view of one instance, or undefined when the cluster has no such instance. */
  view(cluster: string, name: string): InstanceView | undefined {
    const key = makeKey(cluster, name);
    const hit = this.views.get(key);
    if (hit && !this.dirty.has(key)) return hit.view;
    const inst = this.store.get('ContainerInstance', key) as InstanceObject | undefined;
    this.dirty.delete(key);
    if (!inst) {
      this.views.delete(key);
      return undefined;
    }
    const view = instanceViewFresh(this.store, cluster, inst);
    this.views.set(key, { inst, view });
    return view;
  }

  /** The view of `inst` as stored now (a fresh build when `inst` is not the stored object). */
  viewOf(cluster: string, inst: InstanceObject): InstanceView {
    const key = makeKey(cluster, inst.metadata.name);
    if (this.store.get('ContainerInstance', key) !== inst) return instanceViewFresh(this.store, cluster, inst);
    return this.view(cluster, inst.metadata.name)!;
  }

  /** Views of every instance of the cluster, sorted by name (a new array; the views are shared). */
  list(cluster: string): InstanceView[] {
    let cv = this.clusters.get(cluster);
    if (!cv) {
      const names = (this.store.list('ContainerInstance', { cluster }) as InstanceObject[]).map((i) => i.metadata.name);
      names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const views = names.map((n) => this.view(cluster, n)!);
      cv = { names, views, pos: new Map(names.map((n, i) => [n, i])), stale: new Set() };
      this.clusters.set(cluster, cv);
    } else if (cv.stale.size > 0) {
      for (const n of cv.stale) cv.views[cv.pos.get(n)!] = this.view(cluster, n)!;
      cv.stale.clear();
    }
    return cv.views.slice();
  }

  private markDirty(cluster: string, name: string): void {
    const key = makeKey(cluster, name);
    if (this.views.has(key)) this.dirty.add(key);
    this.clusters.get(cluster)?.stale.add(name);
  }

  private written(ev: WatchEvent, previous: { kind: string; spec?: any; status?: any; metadata: { name: string } } | undefined): void {
    const obj = ev.object;
    if (obj.kind === 'Task') {
      const inst = obj.status?.containerInstance;
      if (inst) this.markDirty(clusterOf(obj), inst);
      const was = previous?.status?.containerInstance;
      if (was && (was !== inst || clusterOf(previous!) !== clusterOf(obj))) this.markDirty(clusterOf(previous!), was);
    } else if (obj.kind === 'ContainerInstance') {
      const cluster = clusterOf(obj);
      if (ev.type === 'MODIFIED' && previous && clusterOf(previous) === cluster) {
        this.markDirty(cluster, obj.metadata.name);
        return;
      }
      // Added, removed (or moved): the cluster's membership changed.
      for (const c of previous ? [cluster, clusterOf(previous)] : [cluster]) {
        this.clusters.delete(c);
        this.views.delete(makeKey(c, obj.metadata.name));
        this.dirty.delete(makeKey(c, obj.metadata.name));
      }
    }
  }
}

const caches = new WeakMap<ResourceStore, InstanceViewCache>();

export function viewCache(store: ResourceStore): InstanceViewCache {
  let c = caches.get(store);
  if (!c) caches.set(store, (c = new InstanceViewCache(store)));
  return c;
}

/** Views of the cluster's instances (optionally of one capacity provider), sorted by name. */
export function cachedInstanceViews(store: ResourceStore, cluster: string, capacityProviderName?: string): InstanceView[] {
  const all = viewCache(store).list(cluster);
  if (!capacityProviderName) return all;
  return all.filter((v) => {
    const inst = store.get('ContainerInstance', makeKey(cluster, v.name)) as InstanceObject;
    return capacityProviderOf(inst) === capacityProviderName;
  });
}
